import { Layout } from './components/layout';
import { useHashRoute } from './hooks/use-hash-route';
import { pages } from './pages';

export function App() {
  const first = pages[0];
  const route = useHashRoute(first?.id ?? '');
  const page = pages.find((p) => p.id === route) ?? first;
  if (!page) return null;
  const Page = page.component;
  return (
    <Layout pages={pages} current={page.id}>
      <Page />
    </Layout>
  );
}
