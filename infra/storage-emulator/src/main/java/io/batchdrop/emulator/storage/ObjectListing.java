package io.batchdrop.emulator.storage;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * One page of objects.list: names in lexicographic order from the page token, with {@code
 * delimiter} rolling names up into {@code prefixes}. Items and prefixes both count towards {@code
 * maxResults}, as in Cloud Storage; {@code matchGlob} filters names before they roll up; the next
 * page token is the name the next page starts at.
 */
final class ObjectListing {
  static final int DEFAULT_PAGE_SIZE = 1000;

  private ObjectListing() {}

  static Page page(
      NavigableMap<String, StoredObject> objects,
      String prefix,
      String delimiter,
      String pageToken,
      Integer maxResults,
      String startOffset,
      String endOffset,
      Pattern glob,
      boolean includeTrailingDelimiter) {
    String effectivePrefix = prefix == null ? "" : prefix;
    String effectiveDelimiter = delimiter == null || delimiter.isEmpty() ? null : delimiter;
    int limit =
        maxResults == null || maxResults <= 0
            ? DEFAULT_PAGE_SIZE
            : Math.min(maxResults, DEFAULT_PAGE_SIZE);
    String from = effectivePrefix;
    if (startOffset != null && startOffset.compareTo(from) > 0) {
      from = startOffset;
    }
    if (pageToken != null && !pageToken.isEmpty()) {
      String tokenName = decodeToken(pageToken);
      if (tokenName.compareTo(from) > 0) {
        from = tokenName;
      }
    }
    List<ObjectMeta> items = new ArrayList<>();
    TreeSet<String> prefixes = new TreeSet<>();
    String lastPrefix = null;
    String next = null;
    for (Map.Entry<String, StoredObject> entry : objects.tailMap(from, true).entrySet()) {
      String name = entry.getKey();
      if (!name.startsWith(effectivePrefix)
          || (endOffset != null && name.compareTo(endOffset) >= 0)) {
        break;
      }
      if (lastPrefix != null && name.startsWith(lastPrefix)) {
        continue;
      }
      if (glob != null && !glob.matcher(name).matches()) {
        continue;
      }
      String rolledUp = null;
      if (effectiveDelimiter != null) {
        int at = name.indexOf(effectiveDelimiter, effectivePrefix.length());
        if (at >= 0) {
          rolledUp = name.substring(0, at + effectiveDelimiter.length());
        }
      }
      if (items.size() + prefixes.size() == limit) {
        next = name;
        break;
      }
      if (rolledUp != null) {
        prefixes.add(rolledUp);
        lastPrefix = rolledUp;
        // The object "dir/" itself is listed too when asked for (gcloud shows such placeholders).
        if (includeTrailingDelimiter && rolledUp.equals(name)) {
          items.add(entry.getValue().meta());
        }
      } else {
        items.add(entry.getValue().meta());
      }
    }
    return new Page(items, List.copyOf(prefixes), next == null ? null : encodeToken(next));
  }

  private static String encodeToken(String name) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(name.getBytes(StandardCharsets.UTF_8));
  }

  private static String decodeToken(String token) {
    try {
      return new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw ApiException.invalid("Invalid page token");
    }
  }

  /** Objects and rolled-up prefixes of one page, and the token of the next (null: last page). */
  record Page(List<ObjectMeta> items, List<String> prefixes, String nextPageToken) {}
}
