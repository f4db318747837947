import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { RequireRole } from '../common/roles';
import { parseInput } from '../common/zod-input';
import { CampaignPreviewService } from './campaign-preview.service';
import { PreviewBody } from './preview.schemas';

/** Apart from CampaignsController: preview is for support, the lifecycle for operators. */
@Controller('v1/campaigns')
export class CampaignPreviewController {
  constructor(private readonly service: CampaignPreviewService) {}

  @Post(':key/preview')
  @HttpCode(200)
  @RequireRole('support')
  preview(@Param('key') key: string, @Body() body: unknown) {
    return this.service.preview(key, parseInput(PreviewBody, body ?? {}));
  }
}
