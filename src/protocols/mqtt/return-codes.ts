// MQTT 3.1.1 return codes mockd sends itself (OASIS MQTT 3.1.1 §3.2.2.3 CONNACK, §3.9.3 SUBACK).
// CONNACK 1 (unacceptable protocol version) for MQTT 5 is sent by aedes itself ([MQTT-3.1.2-2]).

export const CONNACK_UNACCEPTABLE_PROTOCOL = 1;
/** Sent when `--max-connections` or the mock's `maxConnections` is reached (README "Limits"). */
export const CONNACK_IDENTIFIER_REJECTED = 2;
export const CONNACK_SERVER_UNAVAILABLE = 3;
export const CONNACK_BAD_USERNAME_OR_PASSWORD = 4;
export const SUBACK_FAILURE = 0x80;
