import type { ReactNode } from 'react';
import type { PageEntry } from '../pages';
import { WorkspaceFooter } from './workspace-footer';

interface LayoutProps {
  pages: readonly PageEntry[];
  current: string;
  children: ReactNode;
}

/** The shared frame: navigation on the left, the page on the right. */
export function Layout({ pages, current, children }: LayoutProps) {
  return (
    <div className="app">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <nav className="sidebar" aria-label="Pages">
        <div className="brand">
          <span className="brand-mark" aria-hidden="true">
            LB
          </span>
          Langbridge
        </div>
        <ul>
          {pages.map((p) => (
            <li key={p.id}>
              <a href={`#/${p.id}`} aria-current={p.id === current ? 'page' : undefined}>
                {p.title}
              </a>
            </li>
          ))}
        </ul>
        <WorkspaceFooter />
      </nav>
      <main id="main" className="page" tabIndex={-1}>
        {children}
      </main>
    </div>
  );
}
