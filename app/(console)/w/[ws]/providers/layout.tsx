import { PROVIDER_TABS, visible } from "@/components/shell/nav";
import { TabBar } from "@/components/shell/tab-bar";
import { PageHeader } from "@/components/ui/page-header";
import { loadConsole } from "@/app/(console)/guard";

export default async function ProvidersLayout({ children, params }: { children: React.ReactNode; params: Promise<{ ws: string }> }) {
  const { ws } = await params;
  const { workspace, role, instanceAdmin } = await loadConsole(ws);
  const tabs = visible(PROVIDER_TABS, { role, instanceAdmin }).map((t) => ({ label: t.label, href: `/w/${workspace.slug}${t.href}` }));
  return (
    <>
      <PageHeader
        title="Providers"
        description="Everything your agents reach beyond the model: APIs, connectors, models, MCP servers and webhooks."
      />
      {tabs.length > 0 && <TabBar tabs={tabs} label="Providers" asTabs />}
      {children}
    </>
  );
}
