// `mockd mqtt publish` and `mockd mqtt subscribe`: quick checks against a broker mock, using mqtt.js as any client
// would. The broker is `--broker mqtt://host:port`, or `--port` on 127.0.0.1 (default 1883).

import type { MqttClient } from 'mqtt';
import { CliError } from '../client.ts';
import { print } from '../output.ts';
import { intOption, str, UsageError, type CommandDef } from '../registry.ts';

function brokerUrl(o: Record<string, any>): string {
  const broker = str(o.broker);
  if (broker) return broker;
  const port = intOption(o.port, 'port') ?? 1883;
  return `mqtt://127.0.0.1:${port}`;
}

function qosOption(value: unknown): 0 | 1 | 2 {
  const qos = intOption(value, 'qos') ?? 0;
  if (qos !== 0 && qos !== 1 && qos !== 2) throw new UsageError('--qos must be 0, 1 or 2');
  return qos;
}

const CONNECT_TIMEOUT_MS = 5000;

async function connect(url: string, o: Record<string, any>): Promise<MqttClient> {
  // Loaded here, so other commands do not pay for mqtt.js.
  const { default: mqtt } = await import('mqtt');
  const client = mqtt.connect(url, {
    reconnectPeriod: 0,
    connectTimeout: CONNECT_TIMEOUT_MS,
    protocolVersion: 4,
    username: str(o.username),
    password: str(o.password),
    clientId: str(o.clientId),
  });
  await new Promise<void>((resolve, reject) => {
    client.once('connect', () => resolve());
    client.once('error', (err) => reject(new CliError(`cannot connect to ${url}: ${err.message}`)));
    client.once('close', () => reject(new CliError(`cannot connect to ${url}: connection closed`)));
  });
  return client;
}

const connectionOptions: CommandDef['options'] = [
  ['--broker <url>', 'Broker URL, e.g. mqtt://127.0.0.1:1883'],
  ['--port <port>', 'Broker port on 127.0.0.1 (default 1883)'],
  ['--username <name>', 'Username'],
  ['--password <password>', 'Password'],
  ['--client-id <id>', 'Client id'],
  ['--qos <qos>', 'QoS 0, 1 or 2 (default 0)'],
];

const publish: CommandDef = {
  path: ['mqtt', 'publish'],
  args: '<topic> <message>',
  description: 'Publish one message to an MQTT broker mock',
  options: [...connectionOptions!, ['--retain', 'Retain the message']],
  async action([topic, message], o, { json }) {
    const qos = qosOption(o.qos);
    const url = brokerUrl(o);
    const client = await connect(url, o);
    try {
      await client.publishAsync(topic!, message!, { qos, retain: Boolean(o.retain) });
    } finally {
      await client.endAsync();
    }
    if (json) return print(JSON.stringify({ topic, published: true, qos, retain: Boolean(o.retain) }, null, 2));
    print(`Published to ${topic} (qos ${qos})`);
  },
};

const subscribe: CommandDef = {
  path: ['mqtt', 'subscribe'],
  args: '<topic>',
  description: 'Print messages from an MQTT broker mock until --count or --timeout (or Ctrl-C)',
  options: [...connectionOptions!, ['--count <n>', 'Exit after n messages'], ['--timeout <s>', 'Exit after s seconds']],
  async action([topic], o, { json }) {
    const qos = qosOption(o.qos);
    const count = intOption(o.count, 'count');
    const timeoutS = o.timeout === undefined ? undefined : Number(o.timeout);
    if (timeoutS !== undefined && !(timeoutS > 0)) throw new UsageError('--timeout must be a positive number of seconds');
    const client = await connect(brokerUrl(o), o);
    const granted = await client.subscribeAsync(topic!, { qos });
    if (granted[0]?.qos === 128) {
      await client.endAsync();
      throw new CliError(`subscription to ${topic} was refused by the broker`);
    }
    let received = 0;
    await new Promise<void>((resolve) => {
      const finish = () => resolve();
      if (timeoutS !== undefined) setTimeout(finish, timeoutS * 1000).unref();
      process.once('SIGINT', finish);
      client.on('close', finish);
      client.on('message', (t, payload, packet) => {
        received++;
        const text = payload.toString('utf8');
        if (json) print(JSON.stringify({ topic: t, payload: text, qos: packet.qos, retain: packet.retain }));
        else print(`${t} ${text}`);
        if (count !== undefined && received >= count) finish();
      });
    });
    await client.endAsync(true);
  },
};

export const mqttToolCommands: CommandDef[] = [publish, subscribe];
