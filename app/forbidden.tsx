import { AccessRefusal } from "@/components/shell/access-refusal";

export default function Forbidden() {
  return (
    <main className="px-6 py-8">
      <AccessRefusal />
    </main>
  );
}
