import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { loadConfig } from './config';
import { ConfigError } from './errors';
import { App } from './ui/App';
import './styles.css';

const root = createRoot(document.getElementById('root') as HTMLElement);

loadConfig(window.fetch.bind(window))
  .then((config) =>
    root.render(
      <StrictMode>
        <App config={config} />
      </StrictMode>,
    ),
  )
  .catch((error: unknown) =>
    root.render(
      <main className="centered">
        <h1>Tenant Assistant cannot start</h1>
        <p role="alert">
          {error instanceof ConfigError ? error.message : 'The configuration could not be read.'}
        </p>
        <p>Ask whoever deployed this site to publish a valid config.json.</p>
      </main>,
    ),
  );
