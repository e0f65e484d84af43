// The few platform globals shared code may use: present with the same meaning in Node and in browsers.
// Declared here because shared/ compiles with neither Node's nor the DOM's types (STYLE rule 1).
declare class URL {
  constructor(url: string, base?: string | URL);
  readonly href: string;
  readonly protocol: string;
  readonly hostname: string;
  readonly host: string;
  readonly port: string;
  readonly username: string;
  readonly password: string;
  readonly pathname: string;
  readonly search: string;
  toString(): string;
}
