/**
 * Backend protocols chosen by the Service port's `appProtocol`: `kubernetes.io/ws` must carry
 * a WebSocket through to the echo, which sends every frame back.
 */
import { backend, httpRoute, INFRA, parent, ref, rule } from '../builders.ts';
import type { Scenario } from '../scenario.ts';
import { converge } from './converge.ts';

const SAME = ref(INFRA, 'same-namespace');
const WS_ROUTE = ref(INFRA, 'backend-protocol-ws');

/** One WebSocket: a text and a binary message, each of which must come back unchanged. */
async function echoesFrames(url: string): Promise<string | undefined> {
  const text = 'Websocket Support!';
  const binary = [1, 2, 3, 4, 5, 6, 7];
  const ws = new WebSocket(url);
  ws.binaryType = 'arraybuffer';
  try {
    const replies = await new Promise<unknown[]>((resolve, reject) => {
      const got: unknown[] = [];
      const timer = setTimeout(() => reject(new Error('no WebSocket reply in 5 s')), 5_000);
      ws.onopen = () => {
        ws.send(text);
        ws.send(new Uint8Array(binary));
      };
      ws.onmessage = (event: MessageEvent) => {
        const data: unknown = event.data;
        got.push(data instanceof ArrayBuffer ? [...new Uint8Array(data)] : data);
        if (got.length === 2) {
          clearTimeout(timer);
          resolve(got);
        }
      };
      ws.onerror = () => {
        clearTimeout(timer);
        reject(new Error(`failed to dial ${url}`));
      };
    });
    if (replies[0] !== text) return `text reply ${JSON.stringify(replies[0])}, want ${text}`;
    if (JSON.stringify(replies[1]) !== JSON.stringify(binary))
      return `binary reply ${JSON.stringify(replies[1])}, want ${JSON.stringify(binary)}`;
    return undefined;
  } finally {
    ws.close();
  }
}

export const backendProtocolWebSocket: Scenario = {
  shortName: 'HTTPRouteBackendProtocolWebSocket',
  description:
    'A backendRef to a Service port with appProtocol kubernetes.io/ws carries a WebSocket: text and binary frames come back.',
  manifests: [
    httpRoute(WS_ROUTE, {
      parents: [parent('same-namespace')],
      rules: [rule({ backends: [backend('infra-backend-v1', 8082)] })],
    }),
  ],
  async run(t) {
    const address = await t.step('gateway and route accepted', () =>
      t.cluster.gatewayAndRoutesAccepted(SAME, [WS_ROUTE]),
    );
    await t.step('websocket connection reaches the backend', () =>
      converge('websocket', () => echoesFrames(`ws://${address}/ws`)),
    );
  },
};
