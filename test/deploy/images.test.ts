// The container images cannot be built here (no container engine), so their Dockerfiles are
// checked statically, and against the manifests that run them.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '@portico/local-stack';
import {
  dockerfileNameFor,
  lastOf,
  readDockerfile,
  type Dockerfile,
} from './support/dockerfile.ts';
import { renderKustomization, type KubeDoc } from './support/manifests.ts';
import { podTemplates } from './support/pods.ts';
import { runtimeImports, undeclaredRuntimeImports } from './support/runtime-deps.ts';

const DOCKERFILES = ['Dockerfile.services', 'Dockerfile.dataplane'];

/** `name:1.2.3[-variant]` or `name@sha256:...`: never `latest`, never a moving major tag. */
const PINNED =
  /^[^:@\s]+(?::\d+\.\d+\.\d+(?:-[a-z0-9.-]+)?(?:@sha256:[0-9a-f]{64})?|@sha256:[0-9a-f]{64})$/;

async function nodeDevDependency(): Promise<string> {
  const pkg = JSON.parse(await readFile(join(REPO_ROOT, 'package.json'), 'utf8')) as {
    devDependencies: Record<string, string>;
  };
  const version = pkg.devDependencies['node'];
  if (!version) throw new Error('no node devDependency in package.json');
  return version;
}

describe.each(DOCKERFILES)('deploy/images/%s', (name) => {
  let dockerfile: Dockerfile;
  beforeAll(async () => {
    dockerfile = await readDockerfile(name);
  });

  it('pins every base image to an exact version or digest', () => {
    expect(dockerfile.baseImages.length).toBeGreaterThan(0);
    for (const image of dockerfile.baseImages) {
      expect(image, image).toMatch(PINNED);
    }
  });

  it("uses the project's Node version", async () => {
    const node = dockerfile.baseImages.find((image) => image.startsWith('node:'));
    expect(node).toBe(`node:${await nodeDevDependency()}-bookworm-slim`);
  });

  it('runs as a numeric, non-root user in the final stage', () => {
    const user = lastOf(dockerfile, 'USER');
    expect(user).toMatch(/^\d+(:\d+)?$/);
    expect(Number(user?.split(':')[0])).toBeGreaterThan(0);
  });

  it('installs production dependencies from the lockfile only (npm ci --omit=dev)', () => {
    const installs = dockerfile.instructions.filter(
      (i) => i.keyword === 'RUN' && /\bnpm (ci|install|i)\b/.test(i.args),
    );
    expect(installs.length).toBeGreaterThan(0);
    for (const install of installs) {
      expect(install.args).toMatch(/\bnpm ci\b/);
      expect(install.args).toMatch(/--omit=dev/);
    }
  });

  it('has a .dockerignore that keeps the build context to sources and manifests', async () => {
    const ignore = await readFile(
      join(REPO_ROOT, 'deploy', 'images', `${name}.dockerignore`),
      'utf8',
    );
    expect(ignore.split('\n')).toContain('**');
    expect(ignore).toMatch(/^!package-lock\.json$/m);
  });
});

describe('deploy/images/Dockerfile.dataplane', () => {
  it('is based on the official NGINX image of a stable line, 1.28 or later', async () => {
    const dockerfile = await readDockerfile('Dockerfile.dataplane');
    const nginx = dockerfile.baseImages.find((image) => image.startsWith('nginx:'));
    const [major, minor] = (/^nginx:(\d+)\.(\d+)\./.exec(nginx ?? '') ?? []).slice(1).map(Number);
    expect(major).toBe(1);
    expect(minor).toBeGreaterThanOrEqual(28);
    expect((minor ?? 1) % 2, 'NGINX stable lines have even minor versions').toBe(0);
  });

  it('installs the system CA bundle that wellKnownCACertificates: System trusts, where the renderer looks', async () => {
    const dockerfile = await readDockerfile('Dockerfile.dataplane');
    const env = dockerfile.finalStage
      .filter((i) => i.keyword === 'ENV')
      .map((i) => /PORTICO_SYSTEM_CA_BUNDLE=(\S+)/.exec(i.args)?.[1])
      .find((v) => v !== undefined);
    const config = await readFile(join(REPO_ROOT, 'services/renderer/src/config.ts'), 'utf8');
    const rendererDefault = /SYSTEM_CA_BUNDLE = '([^']+)'/.exec(config)?.[1];
    expect(env).toBe('/etc/ssl/certs/ca-certificates.crt');
    expect(rendererDefault).toBe(env);
    const install = dockerfile.finalStage.find(
      (i) => i.keyword === 'RUN' && /apt-get install .*\bca-certificates\b/.test(i.args),
    );
    expect(install?.args).toContain(`test -s ${env}`);
    const user = dockerfile.finalStage.findIndex((i) => i.keyword === 'USER');
    expect(dockerfile.finalStage.indexOf(install as never)).toBeLessThan(user);
  });

  it('replaces the NGINX entrypoint and stop signal (the renderer is PID 1 and handles SIGTERM)', async () => {
    const dockerfile = await readDockerfile('Dockerfile.dataplane');
    expect(lastOf(dockerfile, 'ENTRYPOINT')).toBe('[]');
    expect(lastOf(dockerfile, 'STOPSIGNAL')).toBe('SIGTERM');
  });
});

describe('the manifests and the images agree', () => {
  let docs: KubeDoc[] = [];
  beforeAll(async () => {
    docs = await renderKustomization('default');
  });

  it("each Portico pod runs as its image's user, and its command runs a file in the image", async () => {
    const checked: string[] = [];
    for (const template of podTemplates(docs)) {
      for (const container of template.spec.containers) {
        const name = dockerfileNameFor(container.image);
        if (!name) continue;
        const dockerfile = await readDockerfile(name);
        const user = Number(lastOf(dockerfile, 'USER')?.split(':')[0]);
        const runAs =
          container.securityContext?.runAsUser ?? template.spec.securityContext?.runAsUser;
        expect(runAs, `${template.id} runAsUser`).toBe(user);
        const script = container.command?.[1] ?? '';
        await expect(readFile(join(REPO_ROOT, script), 'utf8')).resolves.toContain('import');
        checked.push(`${template.id}:${name}`);
      }
    }
    // The data plane is provisioned per Gateway: provisioned.test.ts checks it against its image.
    expect(checked.sort()).toEqual([
      'Deployment/portico-reconciler:Dockerfile.services',
      'Deployment/portico-watcher:Dockerfile.services',
    ]);
  });
});

describe('npm ci --omit=dev installs what the services load', () => {
  it.each([
    ["import { a } from 'pkg/sub'", ['pkg/sub']],
    ["import type { A } from 'types-only'", []],
    ["export { b } from '@scope/pkg'", ['@scope/pkg']],
    ["import './side-effect.ts';\nimport { c } from 'node:fs'", []],
    ["const m = await import('dynamic')", ['dynamic']],
  ])('reads the run-time imports of %j', (source, expected) => {
    expect(runtimeImports(source)).toEqual(expected);
  });

  it('every package a service imports at run time is a declared dependency of its importer', async () => {
    const problems = await undeclaredRuntimeImports([
      '@portico/watcher',
      '@portico/reconciler',
      '@portico/renderer',
    ]);
    expect(problems).toEqual([]);
  });
});
