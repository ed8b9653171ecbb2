// Contract §7: an undecodable request gets INVALID_ARGUMENT. grpc-js answers INTERNAL when a deserializer throws, so
// the deserializer we register returns a marker instead, and the handlers answer INVALID_ARGUMENT when they see it.

const UNDECODABLE = Symbol('undecodable request');

interface Undecodable {
  [UNDECODABLE]: string;
}

export function wrapDeserializer(deserialize: (bytes: Buffer) => object): (bytes: Buffer) => object {
  return (bytes) => {
    try {
      return deserialize(bytes);
    } catch (err) {
      const marker: Undecodable = { [UNDECODABLE]: (err as Error).message };
      return marker;
    }
  };
}

/** The reason a request could not be decoded, or undefined for a good message. */
export function undecodableReason(message: unknown): string | undefined {
  if (message === null || typeof message !== 'object' || !(UNDECODABLE in message)) return undefined;
  return `request could not be decoded: ${(message as Undecodable)[UNDECODABLE]}`;
}
