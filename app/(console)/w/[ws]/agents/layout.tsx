import { AGENT_SECTIONS, visible } from "@/components/shell/nav";
import { TabBar } from "@/components/shell/tab-bar";
import { PageHeader } from "@/components/ui/page-header";
import { loadConsole } from "@/app/(console)/guard";

export default async function AgentsLayout({ children, params }: { children: React.ReactNode; params: Promise<{ ws: string }> }) {
  const { ws } = await params;
  const { workspace, role, instanceAdmin } = await loadConsole(ws);
  const tabs = visible(AGENT_SECTIONS, { role, instanceAdmin }).map((t) => ({ label: t.label, href: `/w/${workspace.slug}${t.href}` }));
  return (
    <>
      <PageHeader
        title="Agents"
        description="Where connectors are used: workers, workflow nodes and skills, and the tools each one gets."
      />
      {tabs.length > 0 && <TabBar tabs={tabs} label="Agents" asTabs />}
      {children}
    </>
  );
}
