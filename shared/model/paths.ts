export type PathSegment = string | number | symbol;

/** `['pools','p1','services',1,'weight']` → `pools.p1.services[1].weight`. */
export function formatPath(path: readonly PathSegment[]): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else {
      const key = String(seg);
      const plain = /^[A-Za-z0-9_-]+$/.test(key);
      out += plain ? (out ? `.${key}` : key) : `[${JSON.stringify(key)}]`;
    }
  }
  return out || '(root)';
}

export interface Issue {
  path: string;
  message: string;
}
