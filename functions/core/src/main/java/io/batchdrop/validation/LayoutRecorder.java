package io.batchdrop.validation;

/**
 * Collects a line's {@link LineLayout} while the rules walk it. Anything of an unusual shape (a
 * second request, key or labels member, null labels, a {@code batchdrop_row} label, a bare-object
 * {@code parts}, a member staging treats as a content but the rules do not) marks the line as
 * having none, so staging takes the token path for it.
 */
final class LayoutRecorder {

  private final LineCursor c;

  private boolean unusual;
  private int open;
  private int close;
  private int members;
  private int keys;
  private int keyName;
  private int keyNext;
  private boolean keyFirst;
  private boolean userKey;
  private boolean afterKey;
  private int requests;
  private int requestOpen;
  private int requestMembers;
  private int labels;
  private int labelsOpen;
  private boolean labelsEmpty;

  LayoutRecorder(LineCursor cursor) {
    this.c = cursor;
  }

  /** At the line's opening brace. */
  void lineOpened() {
    unusual = false;
    open = c.offset();
    close = -1;
    members = 0;
    keys = 0;
    keyName = -1;
    keyNext = -1;
    keyFirst = false;
    userKey = false;
    afterKey = false;
    requests = 0;
    requestOpen = -1;
    requestMembers = 0;
    labels = 0;
    labelsOpen = -1;
    labelsEmpty = false;
  }

  /**
   * At a top-level member's name, or at the line's closing brace ({@code name} null): ends the key
   * member before it.
   */
  void topLevel(String name) {
    if (afterKey) {
      keyNext = c.offset();
      afterKey = false;
    }
    if (name == null) {
      close = c.offset();
      return;
    }
    if (name.equals("key")) {
      keys++;
      keyName = c.offset();
      keyFirst = members == 0;
      afterKey = true;
    }
    members++;
  }

  /** After the key member's value: whether it was the user's key. */
  void keyValue(boolean isUserKey) {
    userKey = isUserKey;
  }

  /** At the request object's opening brace. */
  void requestOpened() {
    requests++;
    requestOpen = c.offset();
  }

  /** At a member of the request object. */
  void requestMember() {
    requestMembers++;
  }

  /** At the labels member's value: its opening brace when {@code object}, or null. */
  void labels(boolean object) {
    labels++;
    if (!object) {
      unusual = true;
      return;
    }
    labelsOpen = c.offset();
    labelsEmpty = true;
  }

  /** At a member of the labels object. */
  void label(String name) {
    labelsEmpty = false;
    if (name.equals(RowKeys.ROW_LABEL)) {
      unusual = true;
    }
  }

  /** Something staging must handle token by token. */
  void unusual() {
    unusual = true;
  }

  /** The line's layout, or null when it must be staged token by token. */
  LineLayout layout() {
    if (unusual
        || requests != 1
        || requestMembers == 0
        || keys > 1
        || labels > 1
        || open < 0
        || close <= open
        || requestOpen <= open
        || (keys == 1 && (keyName <= open || keyNext <= keyName))) {
      return null;
    }
    return new LineLayout(
        open,
        close,
        keys == 1 ? keyName : -1,
        keys == 1 ? keyNext : -1,
        keys == 1 && keyFirst && userKey,
        userKey,
        requestOpen,
        labels == 1 ? labelsOpen : -1,
        labelsEmpty);
  }
}
