import { AccessRefusal } from "@/components/shell/access-refusal";

export default function Forbidden() {
  return <AccessRefusal />;
}
