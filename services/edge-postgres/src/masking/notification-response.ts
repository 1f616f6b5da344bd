import { BackendMessageCode, BufferReader, BufferWriter } from '@gatehouse/pg-wire';

/**
 * NotificationResponse (LISTEN/NOTIFY):
 * https://www.postgresql.org/docs/current/protocol-message-formats.html#PROTOCOL-MESSAGE-FORMATS-NOTIFICATIONRESPONSE
 * Int32 process id of the notifying backend, String channel, String payload. The payload is any
 * text a statement chose (`pg_notify('c', email)`), so the edge masks it like command output.
 */
export interface NotificationResponse {
  /** Process id of the notifying backend. */
  readonly processId: number;
  /** Channel name (the listener named it in LISTEN, so it is nothing new to the client). */
  readonly channel: string;
  /** The payload text, `''` when none was given. */
  readonly payload: string;
}

/** Decodes a NotificationResponse body. */
export function decodeNotificationResponse(body: Buffer): NotificationResponse {
  const reader = new BufferReader(body, 'NotificationResponse');
  const processId = reader.int32();
  const channel = reader.cstring();
  const payload = reader.cstring();
  reader.expectEnd();
  return { processId, channel, payload };
}

/** Encodes a NotificationResponse message. */
export function encodeNotificationResponse(notification: NotificationResponse): Buffer {
  return new BufferWriter(
    Buffer.byteLength(notification.channel) + Buffer.byteLength(notification.payload) + 6,
  )
    .int32(notification.processId)
    .cstring(notification.channel)
    .cstring(notification.payload)
    .message(BackendMessageCode.NotificationResponse);
}
