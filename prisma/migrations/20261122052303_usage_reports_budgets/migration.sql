-- AlterTable
ALTER TABLE "ModelRoute" ADD COLUMN     "connectTimeoutMs" INTEGER,
ADD COLUMN     "firstTokenTimeoutMs" INTEGER,
ADD COLUMN     "totalTimeoutMs" INTEGER;

-- AlterTable
ALTER TABLE "VirtualKey" ADD COLUMN     "budgetAction" TEXT NOT NULL DEFAULT 'block';

-- AlterTable
ALTER TABLE "Workspace" ADD COLUMN     "alertWebhookSecretId" TEXT,
ADD COLUMN     "alertWebhookUrl" TEXT,
ADD COLUMN     "bodyRetentionDays" INTEGER NOT NULL DEFAULT 7,
ADD COLUMN     "budgetAction" TEXT NOT NULL DEFAULT 'notify',
ADD COLUMN     "monthlyBudgetUsd" DECIMAL(18,6),
ADD COLUMN     "storeBodies" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "usageRetentionDays" INTEGER NOT NULL DEFAULT 90;

-- CreateTable
CREATE TABLE "RequestBody" (
    "requestId" TEXT NOT NULL,
    "workspaceId" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "request" TEXT NOT NULL,
    "response" TEXT NOT NULL DEFAULT '',
    "truncated" BOOLEAN NOT NULL DEFAULT false,

    CONSTRAINT "RequestBody_pkey" PRIMARY KEY ("requestId")
);

-- CreateTable
CREATE TABLE "UsageRollup" (
    "granularity" TEXT NOT NULL,
    "bucket" TIMESTAMP(3) NOT NULL,
    "workspaceId" TEXT NOT NULL,
    "dimension" TEXT NOT NULL,
    "groupKey" TEXT NOT NULL,
    "requests" INTEGER NOT NULL DEFAULT 0,
    "errors" INTEGER NOT NULL DEFAULT 0,
    "inputTokens" BIGINT NOT NULL DEFAULT 0,
    "outputTokens" BIGINT NOT NULL DEFAULT 0,
    "cachedTokens" BIGINT NOT NULL DEFAULT 0,
    "costUsd" DECIMAL(20,8) NOT NULL DEFAULT 0,
    "latencyMsSum" BIGINT NOT NULL DEFAULT 0,

    CONSTRAINT "UsageRollup_pkey" PRIMARY KEY ("granularity","dimension","bucket","workspaceId","groupKey")
);

-- CreateTable
CREATE TABLE "BudgetAlert" (
    "id" TEXT NOT NULL,
    "workspaceId" TEXT NOT NULL,
    "scope" TEXT NOT NULL,
    "virtualKeyId" TEXT,
    "month" TEXT NOT NULL,
    "threshold" INTEGER NOT NULL,
    "budgetUsd" DECIMAL(18,6) NOT NULL,
    "spentUsd" DECIMAL(20,8) NOT NULL,
    "action" TEXT NOT NULL,
    "webhookStatus" TEXT,
    "webhookError" TEXT,
    "readAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "BudgetAlert_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "RequestBody_workspaceId_at_idx" ON "RequestBody"("workspaceId", "at");

-- CreateIndex
CREATE INDEX "RequestBody_at_idx" ON "RequestBody"("at");

-- CreateIndex
CREATE INDEX "UsageRollup_workspaceId_granularity_dimension_bucket_idx" ON "UsageRollup"("workspaceId", "granularity", "dimension", "bucket");

-- CreateIndex
CREATE INDEX "BudgetAlert_workspaceId_createdAt_idx" ON "BudgetAlert"("workspaceId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "BudgetAlert_scope_month_threshold_key" ON "BudgetAlert"("scope", "month", "threshold");
