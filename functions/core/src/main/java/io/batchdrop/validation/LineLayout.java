package io.batchdrop.validation;

/**
 * Where staging splices a valid line, as byte offsets from the line's first byte, recorded while
 * the validator walks it: staging copies the line's bytes with the key put first and the row label
 * added, instead of parsing the line again and writing it token by token. Only for a line of the
 * usual shape: one {@code request} object, at most one {@code key} and one {@code labels} object
 * without a {@code batchdrop_row}, no {@code parts} given as a bare object; any other valid line
 * has no layout and is staged token by token.
 *
 * @param open the line object's opening brace
 * @param close the line object's closing brace
 * @param keyName the opening quote of the {@code key} member's name; -1 when there is none
 * @param keyNext what follows the key member's value: the next member's opening quote, or {@code
 *     close} when the key is the last member
 * @param keyInPlace the key member is the line's first and its value is the user's key: nothing to
 *     move
 * @param userKey the key member's value is the user's key (a non-empty string); otherwise it is
 *     null and the row key takes its place
 * @param requestOpen the request object's opening brace
 * @param labelsOpen the labels object's opening brace; -1 when the request has no labels member
 * @param labelsEmpty the labels object has no members
 */
public record LineLayout(
    int open,
    int close,
    int keyName,
    int keyNext,
    boolean keyInPlace,
    boolean userKey,
    int requestOpen,
    int labelsOpen,
    boolean labelsEmpty) {}
