import { Body, Controller, Inject, Param, Post } from '@nestjs/common';
import type { Config } from '../../config/config';
import { refuseOversized } from '../common/size-caps';
import { CONFIG } from '../core/tokens';
import { ApiRoute } from '../common/api-route';
import { parseInput } from '../common/zod-input';
import { CampaignPreviewService } from './campaign-preview.service';
import { PreviewBody, PreviewResponse } from './preview.schemas';

/** Apart from CampaignsController: preview is for support, the lifecycle for operators. */
@Controller('v1/campaigns')
export class CampaignPreviewController {
  constructor(
    private readonly service: CampaignPreviewService,
    @Inject(CONFIG) private readonly config: Config,
  ) {}

  @Post(':key/preview')
  @ApiRoute({
    operationId: 'previewCampaignEvent',
    role: 'support',
    summary:
      "What this event would do for this user now (entry, transitions, rewards, messages, webhooks), with nothing issued: the user's running journey answers, else the active version from the state a new journey would start with.",
    body: PreviewBody,
    example: { userId: 'u-42', event: { type: 'order.completed', properties: { amount: 25.5 } } },
    success: { status: 200, schema: PreviewResponse, description: 'What would happen.' },
    errors: [404, 409],
  })
  preview(@Param('key') key: string, @Body() body: unknown) {
    const parsed = parseInput(PreviewBody, body ?? {});
    refuseOversized([{ path: 'event.properties', value: parsed.event.properties, capBytes: this.config.sizeCaps.eventPropertiesBytes }]);
    return this.service.preview(key, parsed);
  }
}
