-- CreateTable
CREATE TABLE "UsageDeadLetter" (
    "id" TEXT NOT NULL,
    "requestId" TEXT NOT NULL,
    "workspaceId" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "reason" TEXT NOT NULL,
    "record" TEXT NOT NULL,

    CONSTRAINT "UsageDeadLetter_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "UsageDeadLetter_requestId_key" ON "UsageDeadLetter"("requestId");

-- CreateIndex
CREATE INDEX "UsageDeadLetter_workspaceId_at_idx" ON "UsageDeadLetter"("workspaceId", "at");
