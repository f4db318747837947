import { Inject, Injectable } from '@nestjs/common';
import type { Config } from '../../config/config';
import { CONFIG, RUNTIME_INFO } from '../core/tokens';
import type { RuntimeInfo } from '../core/core.module';

/** Deep links into the Temporal UI, so support can jump from an answer to the workflow's history. */
@Injectable()
export class TemporalLinks {
  private readonly base: string | null;

  constructor(@Inject(RUNTIME_INFO) runtime: RuntimeInfo, @Inject(CONFIG) private readonly config: Config) {
    const ui = runtime.temporalUiUrl ?? config.temporal.uiUrl;
    this.base = ui ? ui.replace(/\/+$/, '') : null;
  }

  /** Null when the UI address is not known (no dev server UI, TEMPORAL_UI_URL unset). */
  workflow(workflowId: string): string | null {
    if (!this.base) return null;
    return `${this.base}/namespaces/${encodeURIComponent(this.config.temporal.namespace)}/workflows/${encodeURIComponent(workflowId)}`;
  }

  /** The UI's workflow list filtered by a visibility query, e.g. the journeys of one campaign in one state. */
  workflows(query: string): string | null {
    if (!this.base) return null;
    return `${this.base}/namespaces/${encodeURIComponent(this.config.temporal.namespace)}/workflows?query=${encodeURIComponent(query)}`;
  }
}
