import { CheckpointsController } from './checkpoints.controller.ts';
import { EntriesController } from './entries.controller.ts';
import { ExportController } from './export.controller.ts';
import { KeysController } from './keys.controller.ts';
import { OpenApiController } from './openapi.controller.ts';
import { ProofsController } from './proofs.controller.ts';
import { SessionsController } from './sessions.controller.ts';

/** Every controller of the auditor API; the module mounts these and the OpenAPI test checks them. */
export const ledgerControllers = [
  CheckpointsController,
  EntriesController,
  ProofsController,
  SessionsController,
  KeysController,
  ExportController,
  OpenApiController,
];
