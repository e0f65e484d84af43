// Text files bundled as strings by Vite's `?raw` suffix (the demo workspace and drill).
declare module '*?raw' {
  const text: string;
  export default text;
}
