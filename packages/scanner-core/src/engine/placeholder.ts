/**
 * Filters for values that look like a secret's *shape* but are not one: templating, documentation
 * placeholders, hashes and identifiers. Generic rules (no vendor prefix) apply all of them; vendor rules
 * only the obvious ones (`isObviousPlaceholder`), since their prefix already carries the evidence.
 */

// A variable reference (`$VAR`, `${VAR}`, `${VAR:-x}`, `${t.user||""}:…`, `$TOKEN@host/…` in a URL), not any value
// that starts with `$` (`$apr1$…` is a hash).
const TEMPLATE = /^\$\{|^\$[A-Za-z_]\w*$|^\$[A-Z_][A-Z0-9_]*[@/:]|\{\{|\}\}|^%[(\w]|^<[^>]*>$|^\[[^\]]*\]$|\$\(|^@[A-Za-z_]|^:[a-z_]+$|process\.env|os\.environ|getenv|ENV\[/;
const REPEATED = /^(.)\1+$/;
const MASKED = /(x{5,}|X{5,}|\*{3,}|\.{3,}|#{4,}|0{8,}|_{4,}|-{4,}|•{3,})/;
const WORDS = [
  'changeme', 'change_me', 'change-me', 'example', 'placeholder', 'dummy', 'sample', 'your_', 'your-', 'yourkey',
  'yourtoken', 'yoursecret', 'yourpassword', 'insert', 'replace', 'redacted', 'notasecret', 'not_a_secret',
  'not-a-secret', 'fake', 'foobar', 'lorem', 'ipsum', 'password', 'passwd', 'secret_here', 'token_here',
  'key_here', 'todo', 'fixme', 'undefined', 'null', 'none', 'true', 'false', 'test123', 'abc123', 'qwerty',
  'letmein', 'hunter2', 'default', 'secret123', 'mysecret', 'mypassword', 'mytoken', 'supersecret', 'private_key',
  'api_key', 'apikey', 'access_token', 'client_secret', '123456', 'abcdef', 'asdf',
];
const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const HASH_PREFIX = /^(sha1|sha256|sha384|sha512|md5)[-:]/i;
const HEX_DIGEST = /^([0-9a-f]{40}|[0-9a-f]{64}|[0-9a-f]{128})$/;
// Member access and calls in code: `this.#options.credentials`, `config?.apiKey`, `self->key`, `Foo::BAR`, `env['X']`.
const CODE_REFERENCE = /^[A-Za-z_$#@][\w$#]*((\?\.|!\.|\.|->|::)[A-Za-z_$#][\w$#]*|\[['"]?[\w.-]+['"]?\])+(\(\))?!?$|^[a-z]+(_[a-z]+){2,}$|^[A-Z]+(_[A-Z0-9]+)+$|^[a-z]{2,}([A-Z][a-z]{2,}){2,}$/;
const FILE_PATH = /^(\.{0,2}\/|[A-Za-z]:\\)[\w./\\-]+$|\.(js|ts|json|ya?ml|txt|pem|key|crt|env|cfg|conf|ini|xml|html|png|jpg|svg)$/i;

export function isObviousPlaceholder(value: string): boolean {
  return TEMPLATE.test(value) || REPEATED.test(value) || MASKED.test(value) || /EXAMPLE/.test(value);
}

/** True when a generic rule's candidate value is a placeholder, reference or identifier, not a secret. */
export function isGenericNonSecret(value: string, line: string): boolean {
  if (isObviousPlaceholder(value)) return true;
  const lower = value.toLowerCase();
  if (WORDS.some((w) => lower.includes(w))) return true;
  if (UUID.test(value) || HASH_PREFIX.test(value)) return true;
  if (HEX_DIGEST.test(value) && /sha|hash|digest|commit|checksum|integrity|rev|etag/i.test(line)) return true;
  if (CODE_REFERENCE.test(value) || FILE_PATH.test(value)) return true;
  if (/data:[a-z]+\/[\w.+-]+;base64,/i.test(line)) return true;
  // A real generated secret mixes character classes; one class of letters only is a word or an identifier.
  if (/^[a-z]+$/.test(value) || /^[A-Z]+$/.test(value)) return true;
  return false;
}
