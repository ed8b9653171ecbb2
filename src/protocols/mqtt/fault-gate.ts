// Faults on MQTT clients that act on single packets (README "Faults and chaos"): drop-puback, and delay or drop of the
// PUBLISH packets a client receives. aedes has no hook for the packets it writes, so the one place every packet passes
// is mqtt-packet's writeToStream, which aedes looks up on the module object for each write (lib/write.js); it is
// wrapped once per worker, and a socket without a gate costs one WeakMap lookup.

import type { Writable } from 'node:stream';
import mqttPacket from 'mqtt-packet';

/** What a client's faults answer for one outbound packet. */
export interface PacketGate {
  /** PUBLISH to the client: false drops it, a number holds it that many ms. */
  outbound(): number | false;
  /** true drops this PUBACK (the client's QoS 1 publish then goes unacknowledged). */
  dropPuback(): boolean;
}

type WriteToStream = (packet: { cmd: string }, stream: Writable, opts?: unknown) => boolean;

const gates = new WeakMap<Writable, PacketGate>();
let installed = false;

/** Puts a client's socket under its fault gate (installs the wrapper on first use). */
export function gateClient(conn: Writable, gate: PacketGate): void {
  if (!installed) install();
  gates.set(conn, gate);
}

function install(): void {
  installed = true;
  const packets = mqttPacket as unknown as { writeToStream: WriteToStream };
  const original = packets.writeToStream;
  packets.writeToStream = (packet, stream, opts) => {
    const gate = gates.get(stream);
    if (gate === undefined) return original(packet, stream, opts);
    if (packet.cmd === 'puback' && gate.dropPuback()) return true;
    if (packet.cmd !== 'publish') return original(packet, stream, opts);
    const hold = gate.outbound();
    if (hold === false) return true;
    if (hold === 0) return original(packet, stream, opts);
    setTimeout(() => {
      if (!stream.destroyed) original(packet, stream, opts);
    }, hold);
    return true;
  };
}
