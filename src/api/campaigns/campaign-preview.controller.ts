import { Body, Controller, HttpCode, Inject, Param, Post } from '@nestjs/common';
import type { Config } from '../../config/config';
import { refuseOversized } from '../common/size-caps';
import { CONFIG } from '../core/tokens';
import { RequireRole } from '../common/roles';
import { parseInput } from '../common/zod-input';
import { CampaignPreviewService } from './campaign-preview.service';
import { PreviewBody } from './preview.schemas';

/** Apart from CampaignsController: preview is for support, the lifecycle for operators. */
@Controller('v1/campaigns')
export class CampaignPreviewController {
  constructor(
    private readonly service: CampaignPreviewService,
    @Inject(CONFIG) private readonly config: Config,
  ) {}

  @Post(':key/preview')
  @HttpCode(200)
  @RequireRole('support')
  preview(@Param('key') key: string, @Body() body: unknown) {
    const parsed = parseInput(PreviewBody, body ?? {});
    refuseOversized([{ path: 'event.properties', value: parsed.event.properties, capBytes: this.config.sizeCaps.eventPropertiesBytes }]);
    return this.service.preview(key, parsed);
  }
}
