/**
 * Client certificate validation on HTTPS listeners (Gateway `spec.tls.frontend`, features
 * GatewayFrontendClientCertificateValidation and ...InsecureFallback): the default validation
 * applies to port 443, a `perPort` entry overrides it on 8443, each with its own CA.
 */
import type { KubeObject } from '@portico/kube';
import { backend, gateway, httpRoute, INFRA, parent, ref, rule, type Ref } from '../builders.ts';
import type { Scenario, ScenarioContext } from '../scenario.ts';
import { at, cond, reaches } from './expect.ts';
import { FRONTEND_STATUS_SCENARIOS } from './frontend-tls-status.ts';
import {
  clientPki,
  expectRefused,
  https,
  serverCa,
  tlsFor,
  validation,
  type ClientPki,
} from './frontend-tls-support.ts';

const DEFAULT_CA = 'client-validation-default-ca';
const PER_PORT_CA = 'client-validation-per-port-ca';

/** Port 443 (any host) under the default validation, 8443 (second-example.org) per port. */
function validatedGateway(gw: Ref, mode?: 'AllowInsecureFallback'): KubeObject {
  return gateway(gw, [https('https', 443), https('https-per-port', 8443, 'second-example.org')], {
    spec: {
      tls: {
        frontend: {
          default: { validation: validation([{ kind: 'ConfigMap', name: DEFAULT_CA }], mode) },
          perPort: [
            {
              port: 8443,
              tls: { validation: validation([{ kind: 'ConfigMap', name: PER_PORT_CA }], mode) },
            },
          ],
        },
      },
    },
  });
}

function routes(gw: Ref, names: [Ref, Ref]): KubeObject[] {
  return [
    httpRoute(names[0], {
      parents: [parent(gw.name, { sectionName: 'https' })],
      hostnames: ['example.org'],
      rules: [rule({ backends: [backend('infra-backend-v1', 8080)] })],
    }),
    httpRoute(names[1], {
      parents: [parent(gw.name, { sectionName: 'https-per-port' })],
      rules: [rule({ backends: [backend('infra-backend-v2', 8080)] })],
    }),
  ];
}

/** The Gateway's two ports: address, host, the backend behind it, the right certificate. */
interface Port {
  address: string;
  host: string;
  backend: string;
  trusted: 'first' | 'second';
}

/** Applies the CA ConfigMaps, waits for the Gateway and routes, and resolves both ports. */
async function prepare(
  t: ScenarioContext,
  gw: Ref,
  names: Ref[],
): Promise<{ pki: ClientPki; ports: Port[]; ca: string }> {
  const pki = await clientPki([DEFAULT_CA, PER_PORT_CA]);
  await t.step('CA ConfigMaps', () => t.cluster.apply(pki.objects));
  await t.step('gateway and routes accepted', () => t.cluster.gatewayAndRoutesAccepted(gw, names));
  for (const name of names)
    await t.step(`ResolvedRefs ${name.name}`, () => t.cluster.routeResolvedRefs(name, gw));
  const ports: Port[] = [
    {
      address: await t.cluster.gatewayAddress(gw, 'https'),
      host: 'example.org',
      backend: 'infra-backend-v1',
      trusted: 'first',
    },
    {
      address: await t.cluster.gatewayAddress(gw, 'https-per-port'),
      host: 'second-example.org',
      backend: 'infra-backend-v2',
      trusted: 'second',
    },
  ];
  return { pki, ports, ca: await serverCa(t) };
}

const VALIDATION_GW = ref(INFRA, 'client-validation-default');
const VALIDATION_ROUTES: [Ref, Ref] = [
  ref(INFRA, 'client-certificate-validation-https-test'),
  ref(INFRA, 'client-certificate-validation-https-test-no-hostname'),
];

const validationScenario: Scenario = {
  shortName: 'GatewayFrontendClientCertificateValidation',
  description:
    "HTTPS listeners verify client certificates against their port's CA: the default CA on 443, the per-port CA on 8443; the other port's certificate, or none, is refused.",
  manifests: [validatedGateway(VALIDATION_GW), ...routes(VALIDATION_GW, VALIDATION_ROUTES)],
  async run(t) {
    const { pki, ports, ca } = await prepare(t, VALIDATION_GW, VALIDATION_ROUTES);
    try {
      for (const port of ports) {
        const good = pki[port.trusted];
        const other = pki[port.trusted === 'first' ? 'second' : 'first'];
        await t.step(`${port.host}: trusted client certificate gets 200`, () =>
          t.http.expect(
            port.address,
            reaches(at(port.host, '/'), port.backend, INFRA),
            tlsFor(ca, port.host, good),
          ),
        );
        await t.step(`${port.host}: the other port's client certificate is refused`, () =>
          expectRefused(port.address, tlsFor(ca, port.host, other)),
        );
        await t.step(`${port.host}: no client certificate is refused`, () =>
          expectRefused(port.address, tlsFor(ca, port.host)),
        );
      }
    } finally {
      await t.cluster.remove(pki.objects);
    }
  },
};

const FALLBACK_GW = ref(INFRA, 'client-validation-insecure-fallback');
const FALLBACK_ROUTES: [Ref, Ref] = [
  ref(INFRA, 'client-cert-validation-insecure-fallback-test'),
  ref(INFRA, 'client-cert-validation-insecure-fallback-test-no-hostname'),
];

const insecureFallback: Scenario = {
  shortName: 'GatewayFrontendClientCertificateValidationInsecureFallback',
  description:
    'With AllowInsecureFallback the Gateway says InsecureFrontendValidationMode True (ConfigurationChanged) and every client gets through: trusted, other or no certificate, on both ports.',
  manifests: [
    validatedGateway(FALLBACK_GW, 'AllowInsecureFallback'),
    ...routes(FALLBACK_GW, FALLBACK_ROUTES),
  ],
  async run(t) {
    const { pki, ports, ca } = await prepare(t, FALLBACK_GW, FALLBACK_ROUTES);
    try {
      await t.step('InsecureFrontendValidationMode', () =>
        t.cluster.gatewayCondition(
          FALLBACK_GW,
          cond('InsecureFrontendValidationMode', 'True', 'ConfigurationChanged'),
        ),
      );
      for (const port of ports) {
        const other = pki[port.trusted === 'first' ? 'second' : 'first'];
        const clients = { trusted: pki[port.trusted], other, none: undefined };
        for (const [which, client] of Object.entries(clients)) {
          await t.step(`${port.host}: ${which} client certificate gets 200`, () =>
            t.http.expect(
              port.address,
              reaches(at(port.host, '/'), port.backend, INFRA),
              tlsFor(ca, port.host, client),
            ),
          );
        }
      }
    } finally {
      await t.cluster.remove(pki.objects);
    }
  },
};

export const FRONTEND_TLS_SCENARIOS: Scenario[] = [
  validationScenario,
  insecureFallback,
  ...FRONTEND_STATUS_SCENARIOS,
];
