// Type declarations of `neon-api-keys/testing` (hand-written).

import type { Client, ClientOptions } from './index';

declare global {
  // `Symbol.asyncDispose` (for `await using emu = await Emulator.start()`), declared as @types/node and TypeScript's
  // esnext.disposable lib do, so that these types compile with neither.
  interface SymbolConstructor {
    readonly asyncDispose: unique symbol;
  }
}

/** The emulator's seeded world, restored by every reset. The secrets are the emulator's fixed test keys. */
export interface Seed {
  /** The admin's personal key (the admin of `orgId`). */
  readonly personalApiKey: string;
  /** The second admin's personal key (`"b" * 64`): a colleague in the same organization, whose key names clash. */
  readonly secondAdminApiKey: string;
  /** A plain member's personal key. */
  readonly memberApiKey: string;
  /** The organization-wide key of `orgId`. */
  readonly orgApiKey: string;
  /** An organization key scoped to `projectId`. */
  readonly projectApiKey: string;
  /** A revoked personal key (401). */
  readonly revokedApiKey: string;
  /** The seeded organization (`org-acme-1234`). */
  readonly orgId: string;
  /** The project of the project-scoped key (`proj-alpha-5678`). */
  readonly projectId: string;
  /** Another project of the organization. */
  readonly otherProjectId: string;
  /** The admin's own project (no organization). */
  readonly personalProjectId: string;
  /** Key ids by role. */
  readonly ids: Readonly<{ admin: number; member: number; org: number; project: number; revoked: number; admin2: number }>;
  /** User uuids by role. */
  readonly users: Readonly<{ admin: string; member: string; admin2: string }>;
  /** The seed JSON as the emulator sent it (snake_case). */
  readonly raw: Readonly<Record<string, unknown>>;
}

/** Options of {@link Emulator.start}. */
export interface EmulatorStartOptions {
  /** Enforce Neon's rate limits (700/min per account, 40/s per route, 10/s org key creation); default false. */
  rateLimits?: boolean;
}

/** The status a create gets when a live key of the account already holds its name (Neon: 409, sometimes 400/422). */
export type NameConflictStatus = 400 | 409 | 422;

/** Options of {@link Emulator.reset}. */
export interface EmulatorResetOptions extends EmulatorStartOptions {
  /** The clock offset of the new round (see {@link Emulator.setClockOffsetMs}); default 0. */
  clockOffsetMs?: number;
  /** The duplicate-name status of the new round (see {@link Emulator.setNameConflictStatus}); default 409. */
  nameConflictStatus?: NameConflictStatus;
}

/** An action of a fault (the emulator's README, "Faults", describes each). */
export type FaultAction =
  | 'stall' | 'reset_before' | 'reset_after' | 'close_after'
  | { type: 'respond' | 'respond_after'; status: number; json?: unknown; body?: string; body_base64?: string;
      headers?: Record<string, string>; repeat?: number; chunked?: boolean }
  | { type: 'delay'; ms: number }
  | { type: 'stall' | 'reset_before' | 'reset_after' }
  | { type: 'truncate'; bytes: number }
  | { type: 'patch_json'; set?: Record<string, unknown>; remove?: string[] }
  | { type: 'trickle'; bytes_per_chunk: number; interval_ms: number }
  | { type: 'close_after'; defer?: boolean };

/** A fault: the next `times` requests matching `method` and `path` get `action`. */
export interface Fault {
  /** HTTP method, case-insensitive; omitted: any. */
  method?: string;
  /** The API path without `/api/v2`; `*` matches one segment (`/api_keys/*`). */
  path: string;
  /** What happens to the request. */
  action: FaultAction;
  /** How many requests it applies to (default 1; 0: every one). */
  times?: number;
}

/** One Neon API request the emulator received. */
export interface RequestLogEntry {
  seq: number;
  method: string;
  /** Without `/api/v2`. */
  path: string;
  query?: string;
  request_id: string;
  /** The key's role (`admin`, `member`, `org`, `project`, `revoked`, `unknown`, `none`, `user`), never the token. */
  auth: string;
  key_id?: number;
  /** The request JSON (a non-JSON body as a string, none as null). */
  body: unknown;
  /** null when no response was sent (stall, reset). */
  status: number | null;
  fault?: unknown;
}

/** A key as the emulator stores it (no secret). */
export interface EmulatorKey {
  id: number;
  name: string;
  revoked: boolean;
  created_at: string;
  last_used_at: string | null;
  [field: string]: unknown;
}

/** Every key, revoked ones included. */
export interface EmulatorState {
  api_keys: EmulatorKey[];
  org_api_keys: EmulatorKey[];
}

/** The emulator's control API refused a request (a malformed fault, an unknown owner, ...). */
export declare class EmulatorError extends Error {
  /** The control API's HTTP status. */
  readonly status: number;
}

/**
 * Neon's API-key endpoints (the SDK's Rust emulator), running in this process on a free port of 127.0.0.1, for
 * your own tests. Start with `await Emulator.start()`, stop with `await emu.stop()` (or `await using`).
 */
export declare class Emulator {
  private constructor();
  /** Starts an emulator; rate limits are off unless `rateLimits` is true. */
  static start(options?: EmulatorStartOptions): Promise<Emulator>;
  /** The Neon API base URL (`http://127.0.0.1:PORT/api/v2`): a client's `baseUrl` / `NEON_API_HOST`. */
  readonly baseUrl: string;
  /** The control API (`http://127.0.0.1:PORT/_emulator`). */
  readonly controlUrl: string;
  /** The seeded keys and ids. */
  readonly seed: Seed;
  /** Whether the server is running. */
  readonly running: boolean;
  /** Stops the server (idempotent): open connections close and stalled requests end. */
  stop(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
  /** A `Client` with the seeded admin's personal key, this `baseUrl` and fast retries; `options` override. */
  client(options?: ClientOptions): Client;
  /** `NEON_API_KEY` (the admin's key unless given) and `NEON_API_HOST`: makes `new Client()` use the emulator. */
  env(apiKey?: string): { NEON_API_KEY: string; NEON_API_HOST: string };
  /**
   * Restores the seed, clears faults and the request log, puts the clock and the duplicate-name status back (0, 409);
   * `rateLimits` sets the switch (else the start-up value), `clockOffsetMs` / `nameConflictStatus` those of the new
   * round.
   */
  reset(options?: EmulatorResetOptions): Seed;
  /** Turns Neon's rate limits on or off (until the next reset). */
  setRateLimits(enabled: boolean): void;
  /**
   * Makes the emulator's clock run `offsetMs` (a whole number of milliseconds) ahead of this machine's, negative:
   * behind, until the next reset: keys' timestamps and every response's `Date` header follow it (clock skew).
   * @throws {RangeError} for a number that is not a whole number of milliseconds.
   */
  setClockOffsetMs(offsetMs: number): void;
  /**
   * The status of a create whose name a live key of the account already holds, until the next reset; the message
   * always contains `choose another unique name for api key`.
   * @throws {RangeError} for any status but 400, 409 or 422.
   */
  setNameConflictStatus(status: NameConflictStatus): void;
  /**
   * Marks a key as used one second from now on the emulator's clock, as an application starting to use a rotated
   * key would (`waitForUseMs` then sees the use). Resolves to the key as {@link Emulator.state} lists it.
   */
  useKey(keyId: number, options?: { from?: string }): Promise<EmulatorKey>;
  /** Every key, revoked ones included, without secrets. */
  state(): Promise<EmulatorState>;
  /** Personal and organization keys of `state()` in one list. */
  keys(): Promise<EmulatorKey[]>;
  /**
   * Seeds a key (`owner` `admin` by default, or `admin2`, `member`, `org`); resolves to the create response, `key`
   * included. `allow_duplicate_name` allows a name a live key already holds (which Neon never does).
   */
  addKey(key?: {
    owner?: 'admin' | 'admin2' | 'member' | 'org';
    name?: string;
    project_id?: string;
    created_by?: 'admin' | 'admin2';
    allow_duplicate_name?: boolean;
    created_at?: string;
    last_used_at?: string;
    last_used_from_addr?: string;
    revoked?: boolean;
  }): Promise<EmulatorKey & { key: string }>;
  /** The secret of every key since the last reset, by id (for leak sweeps). */
  secrets(): Promise<Record<string, string>>;
  /** The Neon API requests received since the last reset, oldest first; `method`/`path` filter. */
  requests(filter?: { method?: string; path?: string }): Promise<RequestLogEntry[]>;
  /** Empties the request log. */
  clearRequests(): Promise<void>;
  /** Makes the next `times` matching requests misbehave; faults apply in the order they were added. */
  addFault(fault: Fault): Promise<void>;
  /** The queued faults with their remaining uses and hits. */
  faults(): Promise<Array<Fault & { id: number; remaining: number; hits: number }>>;
  /** Removes every queued fault. */
  clearFaults(): Promise<void>;
}
