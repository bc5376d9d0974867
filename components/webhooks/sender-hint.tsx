import type { WebhookOptions, WebhookScheme } from "@/lib/schemas/webhooks";
import { CopyButton } from "@/components/ui/copy-button";
import { DEFAULT_HEADER } from "./schemes";

function Steps({ children }: { children: React.ReactNode }) {
  return <ol className="list-decimal space-y-1 pl-5 text-sm text-slate-600">{children}</ol>;
}

function Code({ text, label }: { text: string; label: string }) {
  return (
    <div className="relative">
      <pre
        aria-label={label}
        className="max-h-60 overflow-auto rounded-md bg-slate-900 p-3 pr-20 font-mono text-[11px] leading-snug whitespace-pre text-slate-100"
      >
        {text}
      </pre>
      <div className="absolute top-2 right-2">
        <CopyButton value={text} />
      </div>
    </div>
  );
}

export function curlExample(url: string, scheme: WebhookScheme, options: WebhookOptions): string {
  const header = options.header ?? DEFAULT_HEADER[scheme] ?? "";
  const prefix = options.prefix ?? "";
  if (scheme === "secret-header") {
    return [
      `export SECRET='<the signing secret>'`,
      `curl -X POST '${url}' \\`,
      `  -H 'Content-Type: application/json' \\`,
      `  -H "${header}: ${prefix}$SECRET" \\`,
      `  -d '{"hello":"world"}'`,
    ].join("\n");
  }
  const digest = options.encoding === "base64" ? `-binary | base64` : `-hex | sed 's/^.* //'`;
  return [
    `export SECRET='<the signing secret>'`,
    `BODY='{"hello":"world"}'`,
    `SIG=$(printf '%s' "$BODY" | openssl dgst -sha256 -hmac "$SECRET" ${digest})`,
    `curl -X POST '${url}' \\`,
    `  -H 'Content-Type: application/json' \\`,
    `  -H "${header}: ${prefix}$SIG" \\`,
    `  --data-raw "$BODY"`,
  ].join("\n");
}

function standardWebhooksExample(url: string) {
  return [
    `import { Webhook } from "standardwebhooks";`,
    ``,
    `const wh = new Webhook(process.env.SECRET); // the signing secret`,
    `const id = crypto.randomUUID();`,
    `const at = new Date();`,
    `const body = JSON.stringify({ type: "ping" });`,
    `await fetch("${url}", {`,
    `  method: "POST",`,
    `  headers: {`,
    `    "content-type": "application/json",`,
    `    "webhook-id": id,`,
    `    "webhook-timestamp": String(Math.floor(at.getTime() / 1000)),`,
    `    "webhook-signature": wh.sign(id, at, body),`,
    `  },`,
    `  body,`,
    `});`,
  ].join("\n");
}

/** How to point the sender at this endpoint, per scheme. */
export function SenderHint({ url, scheme, options }: { url: string; scheme: WebhookScheme; options: WebhookOptions }) {
  return (
    <section aria-label="Configure the sender" className="space-y-2">
      <h3 className="text-sm font-semibold text-slate-900">Configure the sender</h3>
      {scheme === "github" && (
        <Steps>
          <li>In the repository (or organization) open Settings → Webhooks → Add webhook.</li>
          <li>Payload URL: the URL above. Content type: application/json.</li>
          <li>Secret: the signing secret. GitHub signs each delivery (X-Hub-Signature-256); redeliveries are deduplicated.</li>
        </Steps>
      )}
      {scheme === "stripe" && (
        <Steps>
          <li>In the Stripe dashboard open Developers → Webhooks → Add endpoint and paste the URL above.</li>
          <li>
            Stripe shows the endpoint&apos;s signing secret (whsec_…): paste it here with Rotate secret (grace 0) unless you created this
            endpoint with it.
          </li>
          <li>Stripe&apos;s event id deduplicates retries; signatures older than the tolerance are refused.</li>
        </Steps>
      )}
      {scheme === "slack" && (
        <Steps>
          <li>In your Slack app open Basic Information and copy the Signing Secret (use it here if you have not).</li>
          <li>Event Subscriptions (or Interactivity) → Request URL: the URL above. Switchboard answers the URL verification challenge.</li>
          <li>Requests older than five minutes are refused; Slack&apos;s event_id deduplicates retries.</li>
        </Steps>
      )}
      {scheme === "standard-webhooks" && (
        <>
          <p className="text-sm text-slate-600">
            Give the sender the URL and the signing secret. Senders that use Standard Webhooks (Svix, OpenAI, Resend, …) sign with it; your
            own code can use the <code className="font-mono text-xs">standardwebhooks</code> library:
          </p>
          <Code label="Example sender" text={standardWebhooksExample(url)} />
        </>
      )}
      {(scheme === "secret-header" || scheme === "hmac-sha256") && (
        <>
          <p className="text-sm text-slate-600">
            {scheme === "secret-header"
              ? "The sender sends the secret in the header on every request. To try it:"
              : "The sender signs the exact body bytes with HMAC-SHA256 and the secret. To try it:"}
          </p>
          <Code label="Example request" text={curlExample(url, scheme, options)} />
        </>
      )}
    </section>
  );
}
