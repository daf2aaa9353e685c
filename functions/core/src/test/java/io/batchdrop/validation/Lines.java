package io.batchdrop.validation;

/** Builders for request lines; single quotes stand for double quotes to keep the JSON readable. */
final class Lines {

  static final String TEXT_PART = "{'text':'hi'}";
  static final String CONTENTS = "'contents':[{'role':'user','parts':[" + TEXT_PART + "]}]";

  private Lines() {}

  static String json(String singleQuoted) {
    return singleQuoted.replace('\'', '"');
  }

  /** A line whose request has the given members. */
  static String request(String members) {
    return json("{'request':{" + members + "}}");
  }

  /** A valid line whose request also has the given members. */
  static String requestWith(String extraMembers) {
    return request(CONTENTS + "," + extraMembers);
  }

  static String parts(String parts) {
    return request("'contents':[{'role':'user','parts':" + parts + "}]");
  }

  static String part(String part) {
    return parts("[" + part + "]");
  }

  static String generationConfig(String members) {
    return requestWith("'generationConfig':{" + members + "}");
  }

  static String valid() {
    return request(CONTENTS);
  }
}
