-- CreateTable
CREATE TABLE "McpToolAssignment" (
    "id" TEXT NOT NULL,
    "workspaceId" TEXT NOT NULL,
    "serverId" TEXT NOT NULL,
    "targetType" TEXT NOT NULL,
    "workerId" TEXT,
    "nodeId" TEXT,
    "skillId" TEXT,
    "toolNames" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "createdById" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "McpToolAssignment_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "McpToolAssignment_workerId_idx" ON "McpToolAssignment"("workerId");

-- CreateIndex
CREATE INDEX "McpToolAssignment_nodeId_idx" ON "McpToolAssignment"("nodeId");

-- CreateIndex
CREATE INDEX "McpToolAssignment_skillId_idx" ON "McpToolAssignment"("skillId");

-- CreateIndex
CREATE UNIQUE INDEX "McpToolAssignment_serverId_workerId_key" ON "McpToolAssignment"("serverId", "workerId");

-- CreateIndex
CREATE UNIQUE INDEX "McpToolAssignment_serverId_nodeId_key" ON "McpToolAssignment"("serverId", "nodeId");

-- CreateIndex
CREATE UNIQUE INDEX "McpToolAssignment_serverId_skillId_key" ON "McpToolAssignment"("serverId", "skillId");

-- AddForeignKey
ALTER TABLE "McpToolAssignment" ADD CONSTRAINT "McpToolAssignment_serverId_fkey" FOREIGN KEY ("serverId") REFERENCES "McpServer"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "McpToolAssignment" ADD CONSTRAINT "McpToolAssignment_workerId_fkey" FOREIGN KEY ("workerId") REFERENCES "Worker"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "McpToolAssignment" ADD CONSTRAINT "McpToolAssignment_nodeId_fkey" FOREIGN KEY ("nodeId") REFERENCES "WorkflowNode"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "McpToolAssignment" ADD CONSTRAINT "McpToolAssignment_skillId_fkey" FOREIGN KEY ("skillId") REFERENCES "Skill"("id") ON DELETE CASCADE ON UPDATE CASCADE;
