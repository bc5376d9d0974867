"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { RotateCcw } from "lucide-react";
import { useState } from "react";
import type { WebhookEventDto } from "@/lib/schemas/webhooks";
import { api } from "@/components/api/client";
import { ErrorBanner } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Dialog, DialogClose, DialogFooter } from "@/components/ui/dialog";
import { toast } from "@/components/ui/toast";
import { webhookKeys } from "./keys";

/** Replay: a new event with the same body, handed to the target again, after a confirmation. */
export function ReplayButton({ endpointId, event, onReplayed }: { endpointId: string; event: WebhookEventDto; onReplayed: () => void }) {
  const qc = useQueryClient();
  const [open, setOpen] = useState(false);
  const replay = useMutation({
    mutationFn: () => api<WebhookEventDto>(`/webhooks/${endpointId}/events/${event.id}/replay`, { method: "POST" }),
    onSuccess: () => {
      setOpen(false);
      toast("Replay queued: a new event was handed to the target.");
      void qc.invalidateQueries({ queryKey: webhookKeys.one(endpointId) });
      onReplayed();
    },
  });
  return (
    <Dialog
      open={open}
      onOpenChange={(o) => {
        setOpen(o);
        if (!o) replay.reset();
      }}
      trigger={
        <Button variant="secondary" size="sm">
          <RotateCcw className="size-3.5" aria-hidden /> Replay
        </Button>
      }
      title="Replay this event?"
      description="Switchboard records a new event with the same body and headers and hands it to the target again, as if the sender had sent it now. The target may act on it twice."
    >
      <ErrorBanner error={replay.error} />
      <DialogFooter>
        <DialogClose asChild>
          <Button variant="secondary">Cancel</Button>
        </DialogClose>
        <Button pending={replay.isPending} onClick={() => replay.mutate()}>
          Replay event
        </Button>
      </DialogFooter>
    </Dialog>
  );
}
