import type { EntityManager, EntityTarget, FindOptionsWhere, InsertQueryBuilder, ObjectLiteral, QueryDeepPartialEntity, QueryPartialEntity, UpdateResult } from 'typeorm';

// TypeORM types the values of an insert or update as a deep partial of the
// entity, which recurses without end through a JSON column's type (TS2589).
// These check them shallowly instead, column by column against the entity's
// property types (a value or an SQL expression), which is what TypeORM
// writes: a jsonb value goes in whole, never merged.

/** `insert into <entity's table> values …`, to finish with orIgnore, returning or execute. */
export function insertInto<E extends ObjectLiteral>(m: EntityManager, entity: EntityTarget<E>, values: QueryPartialEntity<E>): InsertQueryBuilder<E> {
  return m
    .createQueryBuilder()
    .insert()
    .into(entity)
    .values(values as QueryDeepPartialEntity<E>);
}

/** `update <entity's table> set … where …` (TypeORM also sets an @UpdateDateColumn to now). */
export function updateWhere<E extends ObjectLiteral>(m: EntityManager, entity: EntityTarget<E>, where: FindOptionsWhere<E>, set: QueryPartialEntity<E>): Promise<UpdateResult> {
  return m.update(entity, where, set as QueryDeepPartialEntity<E>);
}
