import { redirect } from "next/navigation";

export default async function AgentsIndex({ params }: { params: Promise<{ ws: string }> }) {
  redirect(`/w/${(await params).ws}/agents/workers`);
}
