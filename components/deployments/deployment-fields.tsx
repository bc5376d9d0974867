"use client";

import { DEPLOYMENT_ENGINES, DEPLOYMENT_STRATEGIES, ENGINE_LABELS, HEALTH_DEFAULTS, STRATEGY_LABELS } from "@/lib/schemas/deployments";
import type { DeploymentDto } from "@/lib/deployments/deployment-dto";
import { Field, Input, Select, Textarea } from "@/components/ui/field";
import { fieldError } from "./form-input";

/** Settings shared by "Add deployment" and "Edit settings"; `d` pre-fills them for editing. */
export function DeploymentFields({ errors, d, idPrefix }: { errors: Record<string, string>; d?: DeploymentDto; idPrefix: string }) {
  const id = (n: string) => `${idPrefix}-${n}`;
  const hc = d?.healthCheck ?? HEALTH_DEFAULTS;
  const e = (p: string) => fieldError(errors, p);
  return (
    <>
      <Field label="Name" htmlFor={id("name")} error={e("name")} hint="e.g. deepseek-v3-cluster">
        <Input id={id("name")} name="name" defaultValue={d?.name} invalid={!!e("name")} autoFocus={!d} />
      </Field>
      <div className="grid grid-cols-2 gap-3">
        <Field label="Engine" htmlFor={id("engine")} error={e("engine")}>
          <Select id={id("engine")} name="engine" defaultValue={d?.engine ?? "vllm"}>
            {DEPLOYMENT_ENGINES.map((x) => (
              <option key={x} value={x}>
                {ENGINE_LABELS[x]}
              </option>
            ))}
          </Select>
        </Field>
        <Field label="Strategy" htmlFor={id("strategy")} error={e("strategy")}>
          <Select id={id("strategy")} name="strategy" defaultValue={d?.strategy ?? "round-robin"}>
            {DEPLOYMENT_STRATEGIES.map((x) => (
              <option key={x} value={x}>
                {STRATEGY_LABELS[x]}
              </option>
            ))}
          </Select>
        </Field>
      </div>
      <Field
        label="Served model"
        htmlFor={id("model")}
        error={e("model")}
        hint="The model id the engine serves, as its /v1/models lists it"
      >
        <Input id={id("model")} name="model" defaultValue={d?.model} invalid={!!e("model")} spellCheck={false} />
      </Field>
      <label className="flex items-start gap-2 text-sm text-slate-700">
        <input type="checkbox" name="internal" defaultChecked={d?.internal ?? false} className="mt-0.5 size-4 rounded border-slate-300" />
        <span>
          <span className="font-medium">Internal</span>
          <span className="block text-xs text-slate-500">
            Allow private and loopback addresses (10.x, 192.168.x, 127.0.0.1...) for this deployment&apos;s instances.
          </span>
          {e("internal") && (
            <span role="alert" className="block text-xs text-red-600">
              {e("internal")}
            </span>
          )}
        </span>
      </label>
      <fieldset className="space-y-3 rounded-md border border-slate-200 p-3">
        <legend className="px-1 text-xs font-medium text-slate-600">Health check</legend>
        <div className="grid grid-cols-3 gap-3">
          <Field label="Interval (s)" htmlFor={id("interval")} error={e("healthCheck.intervalSeconds")}>
            <Input
              id={id("interval")}
              name="intervalSeconds"
              type="number"
              inputMode="numeric"
              defaultValue={hc.intervalSeconds}
              invalid={!!e("healthCheck.intervalSeconds")}
            />
          </Field>
          <Field label="Path" htmlFor={id("path")} error={e("healthCheck.path")}>
            <Input id={id("path")} name="healthPath" defaultValue={hc.path} invalid={!!e("healthCheck.path")} spellCheck={false} />
          </Field>
          <Field label="Timeout (ms)" htmlFor={id("timeout")} error={e("healthCheck.timeoutMs")}>
            <Input
              id={id("timeout")}
              name="timeoutMs"
              type="number"
              inputMode="numeric"
              defaultValue={hc.timeoutMs}
              invalid={!!e("healthCheck.timeoutMs")}
            />
          </Field>
          <Field label="Unhealthy after" htmlFor={id("unhealthy")} error={e("healthCheck.unhealthyAfter")}>
            <Input
              id={id("unhealthy")}
              name="unhealthyAfter"
              type="number"
              inputMode="numeric"
              defaultValue={hc.unhealthyAfter}
              invalid={!!e("healthCheck.unhealthyAfter")}
            />
          </Field>
          <Field label="Healthy after" htmlFor={id("healthy")} error={e("healthCheck.healthyAfter")}>
            <Input
              id={id("healthy")}
              name="healthyAfter"
              type="number"
              inputMode="numeric"
              defaultValue={hc.healthyAfter}
              invalid={!!e("healthCheck.healthyAfter")}
            />
          </Field>
        </div>
        <p className="text-xs text-slate-500">
          Failures and successes in a row. The path is relative to each instance URL (which ends in /v1).
        </p>
      </fieldset>
      {d && (
        <Field label="Notes" htmlFor={id("notes")} error={e("notes")}>
          <Textarea id={id("notes")} name="notes" rows={2} defaultValue={d.notes} invalid={!!e("notes")} />
        </Field>
      )}
    </>
  );
}

/** URL, replicas, GPU (and weight, enabled when editing or adding to an existing deployment). */
export function InstanceFields({
  errors,
  idPrefix,
  pathPrefix = "",
  instance,
  full,
}: {
  errors: Record<string, string>;
  idPrefix: string;
  pathPrefix?: string;
  instance?: { url: string; replicas: number; gpu: string; weight: number; enabled: boolean };
  full: boolean;
}) {
  const id = (n: string) => `${idPrefix}-${n}`;
  const e = (p: string) => fieldError(errors, `${pathPrefix}${p}`);
  return (
    <>
      <Field label="Instance URL" htmlFor={id("url")} error={e("url")} hint="OpenAI-compatible base URL, e.g. http://10.0.0.5:8000/v1">
        <Input
          id={id("url")}
          name="url"
          defaultValue={instance?.url}
          invalid={!!e("url")}
          spellCheck={false}
          autoFocus={full && !instance}
        />
      </Field>
      <div className={full ? "grid grid-cols-3 gap-3" : "grid grid-cols-2 gap-3"}>
        <Field label="Replicas" htmlFor={id("replicas")} error={e("replicas")}>
          <Input
            id={id("replicas")}
            name="replicas"
            type="number"
            inputMode="numeric"
            defaultValue={instance?.replicas ?? 1}
            invalid={!!e("replicas")}
          />
        </Field>
        <Field label="GPU" htmlFor={id("gpu")} error={e("gpu")}>
          <Input id={id("gpu")} name="gpu" defaultValue={instance?.gpu} placeholder="4xA100" invalid={!!e("gpu")} />
        </Field>
        {full && (
          <Field label="Weight" htmlFor={id("weight")} error={e("weight")}>
            <Input
              id={id("weight")}
              name="weight"
              type="number"
              inputMode="numeric"
              defaultValue={instance?.weight ?? 1}
              invalid={!!e("weight")}
            />
          </Field>
        )}
      </div>
      {full ? (
        <label className="flex items-center gap-2 text-sm text-slate-700">
          <input type="checkbox" name="enabled" defaultChecked={instance?.enabled ?? true} className="size-4 rounded border-slate-300" />
          Enabled (in rotation unless unhealthy)
        </label>
      ) : (
        <input type="hidden" name="enabled" value="on" />
      )}
    </>
  );
}
