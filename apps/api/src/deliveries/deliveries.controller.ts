import { Controller, Get, HttpCode, HttpStatus, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { Needs } from '../auth/auth';
import { DeliveryPageView, DeliveryView, ListDeliveriesQuery } from './dto/delivery.dto';
import { DeliveriesService } from './deliveries.service';
import { ApiProblemResponses, AUTHENTICATED_PROBLEMS } from '../common/openapi';

@ApiTags('deliveries')
@ApiBearerAuth()
@ApiProblemResponses(...AUTHENTICATED_PROBLEMS)
@Controller('deliveries')
export class DeliveriesController {
  constructor(private readonly deliveries: DeliveriesService) {}

  @Get()
  @Needs('deliveries.read')
  @ApiOperation({
    summary:
      'Deliveries of alerts and escalations (webhooks, and each person’s e-mail, DingTalk and WeCom), newest first',
  })
  @ApiOkResponse({ type: DeliveryPageView })
  list(@Query() query: ListDeliveriesQuery): Promise<DeliveryPageView> {
    return this.deliveries.list(query);
  }

  @Post(':id/retry')
  @Needs('deliveries.retry')
  @HttpCode(HttpStatus.OK)
  @ApiParam({ name: 'id', description: 'the delivery row id, or its delivery id (X-Delivery-Id)' })
  @ApiOperation({
    summary: 'Send a dead or pending delivery again now, with its attempts counted afresh',
  })
  @ApiOkResponse({ type: DeliveryView })
  @ApiProblemResponses(404, 409)
  retry(@Param('id') id: string): Promise<DeliveryView> {
    return this.deliveries.retry(id);
  }
}
