// The MQTT connection and stats objects of contract §9.4, exactly as the admin API returns them.

import type { ConnectionRecord, ConnectionStats } from '../../contract/protocols.ts';

export interface MqttConnection extends ConnectionRecord {
  /** The client id, or the one the broker assigned when the client sent an empty id. */
  id: string;
  mockId: string;
  /** Always equal to mockId: one broker per mock. */
  brokerId: string;
  port: number;
  connectedAt: string;
  /** The filters the client is subscribed to now. */
  subscriptions: string[];
  /** 4 for MQTT 3.1.1, 3 for MQTT 3.1. */
  protocolVersion: number;
  /** Left out for anonymous clients. */
  username?: string;
  /** `ip:port` of the client. */
  remoteAddr: string;
  status: 'connected';
}

export interface MqttStats extends ConnectionStats {
  connectedClients: number;
  totalConnections: number;
  totalSubscriptions: number;
  /** Distinct filters subscribed now, across every broker. */
  topicCount: number;
  /** The lowest running broker port, or 0. */
  port: number;
  /** True when any running broker has a TLS listener (README "TLS"). */
  tlsEnabled: boolean;
  /** True when any running broker has auth on. */
  authEnabled: boolean;
  subscriptionsByClient: Record<string, number>;
  connectionsByMock: Record<string, number>;
  /** Clients connected over TLS now. */
  tlsConnections?: number;
}
