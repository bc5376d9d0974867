import { AlertTriangle } from "lucide-react";
import type { WebhookOptions, WebhookScheme } from "@/lib/schemas/webhooks";
import { OneTimeValue } from "@/components/ui/copy-button";
import { SenderHint } from "./sender-hint";

/** After create or rotate: the ingress URL, the secret once (when Switchboard generated it), and how to set up the sender. */
export function SecretReveal({
  url,
  secret,
  scheme,
  options,
  withHint = true,
}: {
  url: string;
  secret: string | null;
  scheme: WebhookScheme;
  options: WebhookOptions;
  withHint?: boolean;
}) {
  return (
    <div className="space-y-4">
      <div className="space-y-1.5">
        <span className="block text-sm font-medium text-slate-700">Webhook URL</span>
        <OneTimeValue value={url} testId="webhook-url" />
      </div>
      {secret ? (
        <div className="space-y-1.5">
          <span className="block text-sm font-medium text-slate-700">Signing secret</span>
          <OneTimeValue value={secret} testId="webhook-secret" />
          <p className="flex items-center gap-1.5 text-xs font-medium text-amber-700">
            <AlertTriangle className="size-3.5" aria-hidden /> Copy it now: you won&apos;t see it again. Rotate the secret if it is lost.
          </p>
        </div>
      ) : (
        <p className="text-sm text-slate-600">
          The endpoint verifies requests with the sender&apos;s secret you pasted; it is stored encrypted.
        </p>
      )}
      {withHint && <SenderHint url={url} scheme={scheme} options={options} />}
    </div>
  );
}
