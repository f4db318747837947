import { EventEntity } from './event.entity';
import { JourneyTransitionEntity } from './journey-transition.entity';

export { EventEntity, JourneyTransitionEntity };
export const entities = [EventEntity, JourneyTransitionEntity];
