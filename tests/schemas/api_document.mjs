// Checks real requests and responses against schemas/openapi.json with ajv (JSON Schema 2020-12,
// the dialect of OpenAPI 3.1): the route and status must be documented, the body must match the
// response's schema for its content type, and the documented headers must be there and match.
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

const DOCUMENT_ID = 'openapi.json';

function escapeToken(token) { return String(token).replace(/~/g, '~0').replace(/\//g, '~1'); }
function pointerOf(tokens) { return tokens.map((t) => `/${escapeToken(t)}`).join(''); }
function fragmentOf(tokens) { return tokens.map((t) => `/${encodeURIComponent(escapeToken(t))}`).join(''); }

export class ApiDocument {
  constructor(document) {
    this.document = document;
    this.ajv = new Ajv2020({ allErrors: true, allowUnionTypes: true });
    addFormats(this.ajv);
    // The document's own members are annotations to ajv: the root compiles (when a $ref is first
    // resolved against it) without validating anything, while every schema in it stays strict.
    this.ajv.addVocabulary(Object.keys(document).filter((key) => !['$schema', '$id'].includes(key)));
    // The whole document is added once, so that $refs inside it resolve; only the schemas the
    // checks reach are compiled.
    this.ajv.addSchema(document, DOCUMENT_ID);
    this.validators = new Map();
    this.seen = new Set();  // "METHOD path status" of every checked response
  }

  /** The node at `tokens`, following OpenAPI $refs (`#/components/...`); returns {node, tokens}. */
  resolve(tokens, hops = 0) {
    let node = this.document;
    for (const token of tokens) {
      node = node?.[token];
      if (node === undefined) throw new Error(`${pointerOf(tokens)} is not in the document`);
    }
    if (node && typeof node.$ref === 'string') {
      if (!node.$ref.startsWith('#/') || hops > 8) throw new Error(`unsupported $ref ${node.$ref}`);
      return this.resolve(node.$ref.slice(2).split('/').map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~')), hops + 1);
    }
    return { node, tokens };
  }

  validator(schemaTokens) {
    const key = pointerOf(schemaTokens);
    if (!this.validators.has(key)) {
      this.validators.set(key, this.ajv.compile({ $ref: `${DOCUMENT_ID}#${fragmentOf(schemaTokens)}` }));
    }
    return this.validators.get(key);
  }

  validate(schemaTokens, value, what) {
    const check = this.validator(schemaTokens);
    if (check(value)) return [];
    return [`${what} does not match ${pointerOf(schemaTokens)}: ${this.ajv.errorsText(check.errors)} (value: ${JSON.stringify(value).slice(0, 300)})`];
  }

  /** The documented path (a key of `paths`) that `target` (a path, maybe with a query) matches. */
  pathOf(target) {
    const pathname = new URL(target, 'http://x').pathname;
    for (const template of Object.keys(this.document.paths)) {
      const pattern = new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+')}$`);
      if (pattern.test(pathname)) return template;
    }
    return null;
  }

  operationTokens(method, target) {
    const template = this.pathOf(target);
    const lower = method.toLowerCase();
    if (!template || !this.document.paths[template][lower]) return null;
    return ['paths', template, lower];
  }

  /** Problems of a request body that is meant to be valid (empty when it matches). */
  requestProblems(method, target, json) {
    const op = this.operationTokens(method, target);
    if (!op) return [`${method} ${target} is not in the document`];
    const { node: requestBody, tokens } = this.resolve([...op, 'requestBody']);
    if (!requestBody.content?.['application/json']) return [`${method} ${target} documents no JSON request body`];
    return this.validate([...tokens, 'content', 'application/json', 'schema'], json, `request body of ${method} ${target}`);
  }

  /** Problems of a real response (empty when it matches the document). */
  responseProblems(method, target, response) {
    const op = this.operationTokens(method, target);
    if (!op) return [`${method} ${target} is not in the document`];
    const responses = this.document.paths[op[1]][op[2]].responses;
    const status = String(response.status);
    const key = [status, `${status[0]}XX`, 'default'].find((k) => k in responses);
    if (!key) return [`${method} ${target}: status ${status} is not documented (documented: ${Object.keys(responses).join(', ')})`];
    this.seen.add(`${op[2].toUpperCase()} ${op[1]} ${key}`);
    const { node: documented, tokens } = this.resolve([...op, 'responses', key]);
    const what = `${method} ${target} → ${status}`;
    const problems = [];

    const contentType = response.headers['content-type'];
    if (documented.content) {
      const mediaType = Object.keys(documented.content).find((type) =>
        contentType && (contentType === type || contentType.split(';')[0].trim() === type.split(';')[0].trim()));
      if (!mediaType) {
        problems.push(`${what}: Content-Type ${contentType} is not one of ${Object.keys(documented.content).join(', ')}`);
      } else if (mediaType.startsWith('application/json')) {
        if (response.body === null) problems.push(`${what}: the body is not JSON: ${response.text.slice(0, 200)}`);
        else problems.push(...this.validate([...tokens, 'content', mediaType, 'schema'], response.body, `${what} body`));
      } else if (documented.content[mediaType].schema) {
        problems.push(...this.validate([...tokens, 'content', mediaType, 'schema'], response.text, `${what} body`));
      }
    } else if (response.text !== '') {
      problems.push(`${what}: a body where the document says none: ${response.text.slice(0, 200)}`);
    }

    for (const name of Object.keys(documented.headers ?? {})) {
      const { node: header, tokens: headerTokens } = this.resolve([...tokens, 'headers', name]);
      const value = response.headers[name.toLowerCase()];
      if (value === undefined) {
        if (header.required) problems.push(`${what}: the required header ${name} is missing`);
        continue;
      }
      for (const one of Array.isArray(value) ? value : [value]) {
        const typed = header.schema?.type === 'integer' && /^-?\d+$/.test(one) ? Number(one) : one;
        problems.push(...this.validate([...headerTokens, 'schema'], typed, `${what} header ${name}`));
      }
    }
    return problems;
  }

  /** Every "METHOD path" of the document. */
  operations() {
    const methods = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'];
    return Object.entries(this.document.paths).flatMap(([p, item]) =>
      Object.keys(item).filter((m) => methods.includes(m)).map((m) => `${m.toUpperCase()} ${p}`));
  }
}
