import { createRoot } from 'react-dom/client';

function App() {
  return <main data-app-state="ready">Breakerboard</main>;
}

createRoot(document.getElementById('root')!).render(<App />);
