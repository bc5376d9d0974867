-- CreateTable
CREATE TABLE "VirtualKey" (
    "id" TEXT NOT NULL,
    "workspaceId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "keyHash" TEXT NOT NULL,
    "owner" TEXT NOT NULL DEFAULT '',
    "allowedModels" TEXT[],
    "rpm" INTEGER,
    "tpm" INTEGER,
    "monthlyBudgetUsd" DECIMAL(18,6),
    "expiresAt" TIMESTAMP(3),
    "revokedAt" TIMESTAMP(3),
    "lastUsedAt" TIMESTAMP(3),
    "source" TEXT NOT NULL DEFAULT 'console',
    "createdById" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "VirtualKey_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "UsageRecord" (
    "id" TEXT NOT NULL,
    "requestId" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "workspaceId" TEXT NOT NULL,
    "virtualKeyId" TEXT,
    "userId" TEXT,
    "agentId" TEXT,
    "model" TEXT NOT NULL,
    "modelId" TEXT,
    "platformId" TEXT,
    "deploymentId" TEXT,
    "upstreamModel" TEXT,
    "endpoint" TEXT NOT NULL DEFAULT 'chat.completions',
    "status" INTEGER NOT NULL,
    "outcome" TEXT NOT NULL,
    "errorCode" TEXT,
    "attempts" JSONB NOT NULL,
    "inputTokens" INTEGER NOT NULL DEFAULT 0,
    "outputTokens" INTEGER NOT NULL DEFAULT 0,
    "cachedTokens" INTEGER NOT NULL DEFAULT 0,
    "estimated" BOOLEAN NOT NULL DEFAULT false,
    "costUsd" DECIMAL(18,8) NOT NULL DEFAULT 0,
    "latencyMs" INTEGER NOT NULL,
    "ttftMs" INTEGER,
    "streamed" BOOLEAN NOT NULL DEFAULT false,

    CONSTRAINT "UsageRecord_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "GatewayVersion" (
    "id" INTEGER NOT NULL DEFAULT 1,
    "version" INTEGER NOT NULL DEFAULT 0,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "GatewayVersion_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "VirtualKey_keyHash_key" ON "VirtualKey"("keyHash");

-- CreateIndex
CREATE INDEX "VirtualKey_workspaceId_name_idx" ON "VirtualKey"("workspaceId", "name");

-- CreateIndex
CREATE UNIQUE INDEX "UsageRecord_requestId_key" ON "UsageRecord"("requestId");

-- CreateIndex
CREATE INDEX "UsageRecord_workspaceId_at_idx" ON "UsageRecord"("workspaceId", "at");

-- CreateIndex
CREATE INDEX "UsageRecord_virtualKeyId_at_idx" ON "UsageRecord"("virtualKeyId", "at");

-- CreateIndex
CREATE INDEX "UsageRecord_model_at_idx" ON "UsageRecord"("model", "at");
