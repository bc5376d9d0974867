-- AlterTable
ALTER TABLE "Worker" ADD COLUMN     "deliveryInternal" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "deliverySecretId" TEXT,
ADD COLUMN     "deliveryUrl" TEXT;

-- AlterTable
ALTER TABLE "Workflow" ADD COLUMN     "deliveryInternal" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "deliverySecretId" TEXT,
ADD COLUMN     "deliveryUrl" TEXT;

-- CreateTable
CREATE TABLE "WebhookEndpoint" (
    "id" TEXT NOT NULL,
    "workspaceId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "scheme" TEXT NOT NULL,
    "options" JSONB NOT NULL DEFAULT '{}',
    "targetType" TEXT NOT NULL,
    "workerId" TEXT,
    "workflowId" TEXT,
    "mode" TEXT NOT NULL DEFAULT 'async',
    "syncTimeoutMs" INTEGER NOT NULL DEFAULT 30000,
    "redactFields" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "retentionDays" INTEGER NOT NULL DEFAULT 30,
    "maxBodyBytes" INTEGER NOT NULL DEFAULT 1048576,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "source" TEXT NOT NULL DEFAULT 'console',
    "createdById" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "WebhookEndpoint_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "WebhookSecret" (
    "id" TEXT NOT NULL,
    "endpointId" TEXT NOT NULL,
    "credentialId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMP(3),

    CONSTRAINT "WebhookSecret_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "WebhookEvent" (
    "id" TEXT NOT NULL,
    "workspaceId" TEXT NOT NULL,
    "endpointId" TEXT NOT NULL,
    "receivedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "externalId" TEXT,
    "verified" BOOLEAN NOT NULL,
    "reason" TEXT,
    "duplicate" BOOLEAN NOT NULL DEFAULT false,
    "responseStatus" INTEGER NOT NULL,
    "latencyMs" INTEGER NOT NULL,
    "contentType" TEXT NOT NULL DEFAULT '',
    "sizeBytes" INTEGER NOT NULL DEFAULT 0,
    "body" BYTEA,
    "payload" JSONB,
    "headers" JSONB NOT NULL DEFAULT '{}',
    "replayOfId" TEXT,
    "targetType" TEXT,
    "targetId" TEXT,
    "deliveryStatus" TEXT NOT NULL DEFAULT 'none',
    "deliveryAttempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" TIMESTAMP(3),
    "lastError" TEXT,
    "deliveredAt" TIMESTAMP(3),
    "visibleAt" TIMESTAMP(3),
    "receiveCount" INTEGER NOT NULL DEFAULT 0,
    "ackedAt" TIMESTAMP(3),
    "resultStatus" INTEGER,
    "result" JSONB,
    "completedAt" TIMESTAMP(3),

    CONSTRAINT "WebhookEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "WebhookDedupe" (
    "endpointId" TEXT NOT NULL,
    "externalId" TEXT NOT NULL,
    "eventId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "WebhookDedupe_pkey" PRIMARY KEY ("endpointId","externalId")
);

-- CreateIndex
CREATE INDEX "WebhookEndpoint_workerId_idx" ON "WebhookEndpoint"("workerId");

-- CreateIndex
CREATE INDEX "WebhookEndpoint_workflowId_idx" ON "WebhookEndpoint"("workflowId");

-- CreateIndex
CREATE UNIQUE INDEX "WebhookEndpoint_workspaceId_name_key" ON "WebhookEndpoint"("workspaceId", "name");

-- CreateIndex
CREATE INDEX "WebhookSecret_endpointId_idx" ON "WebhookSecret"("endpointId");

-- CreateIndex
CREATE INDEX "WebhookEvent_endpointId_receivedAt_idx" ON "WebhookEvent"("endpointId", "receivedAt");

-- CreateIndex
CREATE INDEX "WebhookEvent_targetType_targetId_ackedAt_visibleAt_idx" ON "WebhookEvent"("targetType", "targetId", "ackedAt", "visibleAt");

-- CreateIndex
CREATE INDEX "WebhookEvent_deliveryStatus_nextAttemptAt_idx" ON "WebhookEvent"("deliveryStatus", "nextAttemptAt");

-- CreateIndex
CREATE INDEX "WebhookDedupe_createdAt_idx" ON "WebhookDedupe"("createdAt");

-- AddForeignKey
ALTER TABLE "WebhookEndpoint" ADD CONSTRAINT "WebhookEndpoint_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "WebhookEndpoint" ADD CONSTRAINT "WebhookEndpoint_workerId_fkey" FOREIGN KEY ("workerId") REFERENCES "Worker"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "WebhookEndpoint" ADD CONSTRAINT "WebhookEndpoint_workflowId_fkey" FOREIGN KEY ("workflowId") REFERENCES "Workflow"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "WebhookSecret" ADD CONSTRAINT "WebhookSecret_endpointId_fkey" FOREIGN KEY ("endpointId") REFERENCES "WebhookEndpoint"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "WebhookEvent" ADD CONSTRAINT "WebhookEvent_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "WebhookEvent" ADD CONSTRAINT "WebhookEvent_endpointId_fkey" FOREIGN KEY ("endpointId") REFERENCES "WebhookEndpoint"("id") ON DELETE CASCADE ON UPDATE CASCADE;
