// The part of Postman's sandbox API (newman 6.2 runs postman-sandbox 4.7) that the Lacework auth
// script uses. Declared here so that the script is type-checked against what the sandbox offers:
// no `URL`, `Headers`, `TextDecoder`, `fetch` or promises-based API.

interface PostmanVariableScope {
  has(name: string): boolean;
  get(name: string): unknown;
  set(name: string, value: string): void;
  unset(name: string): void;
}

interface PostmanLocalScope {
  get(name: string): string | undefined;
  set(name: string, value: string): void;
  unset?(name: string): void;
  replaceIn(template: string): string;
}

interface PostmanHeaderList {
  get(name: string): string | undefined;
  upsert(header: { key: string; value: string }): void;
}

interface PostmanResponse {
  code: number;
  headers: PostmanHeaderList;
  text(): string;
}

interface PostmanRequestDefinition {
  url: string;
  method: string;
  header: { key: string; value: string }[];
  body: { mode: 'raw'; raw: string };
}

declare const pm: {
  info: { eventName: 'prerequest' | 'test'; requestId: string; requestName: string };
  iterationData: PostmanVariableScope;
  environment: PostmanVariableScope;
  collectionVariables: PostmanVariableScope;
  globals: PostmanVariableScope;
  variables: PostmanLocalScope;
  request: { url: { toString(): string }; headers: PostmanHeaderList };
  response: PostmanResponse | undefined;
  execution?: { skipRequest?(): void; setNextRequest?(requestId: string): void };
  test(name: string, fn: () => void): void;
  sendRequest(
    request: PostmanRequestDefinition,
    callback: (
      error: { code?: string; message?: string } | null,
      response: PostmanResponse,
    ) => void,
  ): void;
};

declare const console: { info(message: string): void; warn(message: string): void };

/** Set by the line the generator puts before the script: the collection's options. */
declare const LACEWORK_AUTH_CONFIG:
  | {
      store?: 'collection' | 'environment' | 'globals';
      refreshWindowMs?: number | null;
      retryOnUnauthorized?: boolean;
      log?: boolean;
      variables?: Record<string, string>;
    }
  | undefined;
