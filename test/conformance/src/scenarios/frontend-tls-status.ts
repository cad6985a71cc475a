/**
 * Invalid `tls.frontend` validation (GatewayFrontendClientCertificateValidation): a broken CA
 * reference makes only the HTTPS listeners of its port ResolvedRefs False (with the spec's
 * reason) and, when nothing usable is left, Accepted False NoValidCACertificate and not
 * Programmed; other listeners keep working.
 */
import {
  backend,
  gateway,
  http,
  httpRoute,
  INFRA,
  parent,
  ref,
  rule,
  SKIP_READINESS,
  WEB,
} from '../builders.ts';
import type { Scenario } from '../scenario.ts';
import { caConfigMap } from './backend-tls-support.ts';
import { at, cond, reaches } from './expect.ts';
import {
  clientPki,
  expectRefused,
  https,
  serverCa,
  tlsFor,
  validation,
} from './frontend-tls-support.ts';

const VALID_CA = 'frontend-validation-valid-ca';
const INVALID_GW = ref(INFRA, 'gateway-with-invalid-client-cert-validation');

const listenerCases: Array<[string, string, string]> = [
  ['https-unresolved', 'ResolvedRefs', 'InvalidCACertificateRef'],
  ['https-invalid-kind', 'ResolvedRefs', 'InvalidCACertificateKind'],
  ['https-grant-missing', 'ResolvedRefs', 'RefNotPermitted'],
];

const invalidValidation: Scenario = {
  shortName: 'GatewayInvalidFrontendClientCertificateValidation',
  description:
    "Per-port CA references to a missing ConfigMap, a Service, and a ConfigMap in another namespace without a ReferenceGrant: only those ports' listeners are ResolvedRefs False (InvalidCACertificateRef, InvalidCACertificateKind, RefNotPermitted), Accepted False NoValidCACertificate and Programmed False; the default-validated listener stays valid.",
  manifests: [
    gateway(
      INVALID_GW,
      [
        https('https', 443),
        https('https-unresolved', 7443, 'first-example.org'),
        https('https-invalid-kind', 8443, 'second-example.org'),
        https('https-grant-missing', 6443, 'fourth-example.org'),
      ],
      {
        annotations: SKIP_READINESS,
        spec: {
          tls: {
            frontend: {
              default: { validation: validation([{ kind: 'ConfigMap', name: VALID_CA }]) },
              perPort: [
                {
                  port: 7443,
                  tls: { validation: validation([{ kind: 'ConfigMap', name: 'non-existing-cm' }]) },
                },
                {
                  port: 8443,
                  tls: { validation: validation([{ kind: 'Service', name: 'infra-backend-v2' }]) },
                },
                {
                  port: 6443,
                  tls: {
                    validation: validation([
                      { kind: 'ConfigMap', name: 'web-backend-ca', namespace: WEB },
                    ]),
                  },
                },
              ],
            },
          },
        },
      },
    ),
  ],
  async run(t) {
    // The default's CA in the Gateway's namespace; one in WEB that no grant lets it use.
    const pki = await clientPki([VALID_CA, 'frontend-validation-unused-ca']);
    const objects = [
      caConfigMap(ref(INFRA, VALID_CA), pki.first),
      caConfigMap(ref(WEB, 'web-backend-ca'), pki.second),
    ];
    await t.step('CA ConfigMaps', () => t.cluster.apply(objects));
    try {
      await t.step('https: valid default configuration', () =>
        t.cluster.listenersHaveConditions(
          INVALID_GW,
          [cond('ResolvedRefs', 'True'), cond('Accepted', 'True'), cond('Programmed', 'True')],
          ['https'],
        ),
      );
      for (const [name, type, reason] of listenerCases) {
        await t.step(`${name}: ${type} False ${reason}`, () =>
          t.cluster.listenersHaveConditions(
            INVALID_GW,
            [
              cond(type, 'False', reason),
              cond('Accepted', 'False', 'NoValidCACertificate'),
              cond('Programmed', 'False'),
            ],
            [name],
          ),
        );
      }
    } finally {
      await t.cluster.remove(objects);
    }
  },
};

const INVALID_DEFAULT_GW = ref(INFRA, 'invalid-default-client-validation-config');

const invalidDefault: Scenario = {
  shortName: 'GatewayFrontendInvalidDefaultClientCertificateValidation',
  description:
    'A default validation naming a missing ConfigMap leaves the HTTP listener valid and serving, while the HTTPS listener is ResolvedRefs False InvalidCACertificateRef, Accepted False NoValidCACertificate, not Programmed, and refuses TLS requests.',
  manifests: [
    gateway(INVALID_DEFAULT_GW, [http('http'), https('https', 443)], {
      annotations: SKIP_READINESS,
      spec: {
        tls: {
          frontend: {
            default: { validation: validation([{ kind: 'ConfigMap', name: 'non-existing-ca' }]) },
          },
        },
      },
    }),
    httpRoute(ref(INFRA, 'invalid-default-client-validation-test'), {
      parents: [parent(INVALID_DEFAULT_GW.name)],
      hostnames: ['example.org'],
      rules: [rule({ backends: [backend('infra-backend-v1', 8080)] })],
    }),
  ],
  async run(t) {
    const gw = INVALID_DEFAULT_GW;
    await t.step('http: listener valid', () =>
      t.cluster.listenersHaveConditions(
        gw,
        [cond('ResolvedRefs', 'True'), cond('Accepted', 'True'), cond('Programmed', 'True')],
        ['http'],
      ),
    );
    const httpAddress = await t.cluster.gatewayAddress(gw, 'http');
    await t.step('http: 200', () =>
      t.http.expect(httpAddress, reaches(at('example.org', '/'), 'infra-backend-v1', INFRA)),
    );
    await t.step('https: invalid default validation', () =>
      t.cluster.listenersHaveConditions(
        gw,
        [
          cond('ResolvedRefs', 'False', 'InvalidCACertificateRef'),
          cond('Accepted', 'False', 'NoValidCACertificate'),
          cond('Programmed', 'False'),
        ],
        ['https'],
      ),
    );
    const ca = await serverCa(t);
    const httpsAddress = await t.cluster.gatewayAddress(gw, 'https');
    await t.step('https: request fails', () =>
      expectRefused(httpsAddress, tlsFor(ca, 'example.org')),
    );
  },
};

export const FRONTEND_STATUS_SCENARIOS: Scenario[] = [invalidValidation, invalidDefault];
