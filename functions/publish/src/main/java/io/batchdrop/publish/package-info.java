/**
 * The pure parts of the {@code publish} function (design §5–§6): reading a finished Vertex batch
 * job's {@code predictions*.jsonl} row by row from a byte offset in bounded memory ({@link
 * io.batchdrop.publish.PredictionReader}, spilling huge responses to a {@link
 * io.batchdrop.publish.SpillTarget}), classifying each row ({@link
 * io.batchdrop.publish.RowVerdict}, {@link io.batchdrop.publish.RowError}), remembering which rows
 * a job attempt answered ({@link io.batchdrop.publish.RowSet}) and writing the data of its result
 * message ({@link io.batchdrop.publish.ResultData}). Nothing here talks to Google Cloud: the
 * function wires these to Cloud Storage, Pub/Sub and Firestore.
 */
package io.batchdrop.publish;
