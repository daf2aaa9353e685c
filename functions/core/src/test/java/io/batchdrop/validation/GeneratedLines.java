package io.batchdrop.validation;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Generated batch lines for equivalence tests: members in any order, whitespace between any tokens,
 * keys absent, null, escaped, first, in the middle or last, labels absent, null, empty, with
 * members or with a user's {@code batchdrop_row}, bare-object parts, duplicate members,
 * generationConfig numbers in several spellings, escaped and non-BMP text, and embedding requests.
 * Most are valid.
 */
public final class GeneratedLines {

  private GeneratedLines() {}

  // ---- generated lines
  // ---------------------------------------------------------------------------

  private static final String[] TEXTS = {
    "hi",
    "café \\u00e9 \\\"quoted\\\" \\\\ back",
    "😀 \\ud83d\\ude00 emoji",
    "请用三句话介绍长城。",
    "a\\/b\\n\\t",
    "lone \\ud800 and \\udc00\\ud83d😀 halves",
    "\\uD83D\\uDE00\\u0041 ",
    ""
  };

  public static String generation(Random r) {
    List<String> members = new ArrayList<>();
    members.add(q("'request':") + ws(r) + request(r));
    if (r.nextInt(10) == 0) {
      members.add(q("'request':") + request(r)); // a second request: token path
    }
    switch (r.nextInt(8)) {
      case 0, 1 -> {} // no key
      case 2 -> members.add(q("'key':null"));
      case 3 -> members.add(q("'key'") + ws(r) + ":" + ws(r) + q("'doc-\\u0031\\\"x'"));
      case 4 -> {
        members.add(q("'key':'a'"));
        members.add(q("'key':'b'")); // two keys: token path
      }
      default -> members.add(q("'key':") + ws(r) + q("'doc-" + r.nextInt(1000) + "'"));
    }
    if (r.nextInt(3) == 0) {
      members.add(q("'custom':{'n':[1,2.50,-0,1e3],'t':true,'z':null,'s':'" + text(r) + "'}"));
    }
    if (r.nextInt(6) == 0) {
      members.add(q("'extra':'x'"));
    }
    shuffle(members, r);
    return ws(r) + object(members, r) + ws(r);
  }

  private static String request(Random r) {
    List<String> members = new ArrayList<>();
    List<String> contents = new ArrayList<>();
    int n = 1 + r.nextInt(3);
    for (int i = 0; i < n; i++) {
      contents.add(content(r, i % 2 == 0 ? "user" : "model"));
    }
    members.add(q("'contents':") + ws(r) + array(contents, r));
    if (r.nextInt(3) == 0) {
      members.add(
          q(r.nextBoolean() ? "'systemInstruction':" : "'system_instruction':")
              + ws(r)
              + content(r, null));
    }
    if (r.nextInt(2) == 0) {
      String[] max = {
        "",
        ",'maxOutputTokens':256",
        ",'maxOutputTokens':1e3",
        ",'max_output_tokens':64.0",
        ",'maxOutputTokens':null"
      };
      String[] candidates = {"", "", ",'candidateCount':2", ",'candidate_count':1"};
      members.add(
          q(
              "'generationConfig':{'temperature':0.10,'topK':1e1"
                  + max[r.nextInt(max.length)]
                  + candidates[r.nextInt(candidates.length)]
                  + "}"));
    }
    switch (r.nextInt(9)) {
      case 0, 1, 2 -> {} // no labels
      case 3 -> members.add(q("'labels':{}"));
      case 4 -> members.add(q("'labels':null"));
      case 5 -> members.add(q("'labels':{'batchdrop_row':'mine','team':'x'}"));
      case 6 -> {
        members.add(q("'labels':{'team':'a'}"));
        if (r.nextBoolean()) {
          members.add(q("'labels':{'team':'b'}"));
        }
      }
      default ->
          members.add(
              q("'labels':")
                  + ws(r)
                  + "{"
                  + ws(r)
                  + q("'team'")
                  + ws(r)
                  + ":"
                  + q("'search'")
                  + ws(r)
                  + "}");
    }
    if (r.nextInt(12) == 0) {
      // Not a field of a generation request (a warning), but staging wraps its bare parts.
      members.add(q("'content':{'parts':{'text':'x'}}"));
    }
    if (r.nextInt(5) == 0) {
      members.add(
          q("'tools':[{'functionDeclarations':[{'name':'f','parameters':{'type':'OBJECT'}}]}]"));
    }
    shuffle(members, r);
    return object(members, r);
  }

  private static String content(Random r, String role) {
    List<String> members = new ArrayList<>();
    if (role != null) {
      members.add(q("'role':'" + role + "'"));
    }
    String part = q("{'text':") + ws(r) + q("'" + text(r) + "'}");
    if (r.nextInt(10) == 0) {
      members.add(q("'parts':") + part); // a bare-object parts: token path
    } else {
      List<String> parts = new ArrayList<>();
      parts.add(part);
      if (r.nextInt(3) == 0) {
        parts.add(q("{'fileData':{'fileUri':'gs://media-in/a.png','mimeType':'image/png'}}"));
      }
      if (r.nextInt(8) == 0) {
        parts.add(q("{'inline_data':{'mime_type':'image/png','data':'iVBORw0KGgo='},'text':null}"));
      }
      if (r.nextInt(8) == 0) {
        parts.add(q("{'fileData':null,'text':'" + text(r) + "'}"));
      }
      members.add(q("'parts':") + ws(r) + array(parts, r));
    }
    shuffle(members, r);
    return object(members, r);
  }

  /**
   * What a file of {@link #embedding} lines is validated with (the Gemini API backend and an
   * embedding model, where they are valid requests), else the defaults for {@link #generation}.
   */
  public static ValidatorConfig config(boolean embeddings) {
    return embeddings
        ? ValidatorConfig.defaults()
            .withBackend(Backend.GEMINI_API)
            .withModel("gemini-embedding-001")
        : ValidatorConfig.defaults();
  }

  public static String embedding(Random r) {
    List<String> request = new ArrayList<>();
    String parts =
        r.nextInt(6) == 0 ? q("{'text':'" + text(r) + "'}") : q("[{'text':'" + text(r) + "'}]");
    request.add(q("'content':{'parts':") + parts + "}");
    if (r.nextBoolean()) {
      request.add(q("'taskType':'RETRIEVAL_DOCUMENT'"));
    }
    if (r.nextInt(6) == 0) {
      request.add(q("'labels':{'team':'x'}")); // an error for embeddings
    }
    shuffle(request, r);
    List<String> members = new ArrayList<>();
    members.add(q("'request':") + object(request, r));
    if (r.nextBoolean()) {
      members.add(q("'key':'e-" + r.nextInt(100) + "'"));
    }
    shuffle(members, r);
    return object(members, r);
  }

  private static String text(Random r) {
    return TEXTS[r.nextInt(TEXTS.length)];
  }

  private static String object(List<String> members, Random r) {
    StringBuilder sb = new StringBuilder("{").append(ws(r));
    for (int i = 0; i < members.size(); i++) {
      if (i > 0) {
        sb.append(ws(r)).append(',').append(ws(r));
      }
      sb.append(members.get(i));
    }
    return sb.append(ws(r)).append('}').toString();
  }

  private static String array(List<String> elements, Random r) {
    StringBuilder sb = new StringBuilder("[").append(ws(r));
    for (int i = 0; i < elements.size(); i++) {
      if (i > 0) {
        sb.append(ws(r)).append(',').append(ws(r));
      }
      sb.append(elements.get(i));
    }
    return sb.append(ws(r)).append(']').toString();
  }

  /** Mostly nothing; sometimes spaces, a tab or a CR, which JSON reads as whitespace. */
  private static String ws(Random r) {
    return switch (r.nextInt(12)) {
      case 0 -> " ";
      case 1 -> "  \t ";
      case 2 -> "\r";
      default -> "";
    };
  }

  private static <T> void shuffle(List<T> list, Random r) {
    for (int i = list.size() - 1; i > 0; i--) {
      int j = r.nextInt(i + 1);
      T t = list.get(i);
      list.set(i, list.get(j));
      list.set(j, t);
    }
  }

  /** One of the validator fuzz tests' corruptions, or none. */
  public static String corrupt(String line, Random r) {
    if (line.isEmpty() || r.nextInt(3) == 0) {
      return line;
    }
    int at = r.nextInt(line.length());
    char[] structural = {'{', '}', '[', ']', ':', ',', '"', ' ', '0', '-', 't'};
    return switch (r.nextInt(3)) {
      case 0 -> line.substring(0, at);
      case 1 ->
          line.substring(0, at) + structural[r.nextInt(structural.length)] + line.substring(at);
      default ->
          line.substring(0, at) + structural[r.nextInt(structural.length)] + line.substring(at + 1);
    };
  }

  private static String q(String singleQuoted) {
    return singleQuoted.replace('\'', '"');
  }
}
