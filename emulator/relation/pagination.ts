/**
 * Paging as the real server's mongoutil.FindPage does it: pageNumber counts from 1; no
 * pagination, a non-positive showNumber or a page past the end gives the total and no items.
 */
import type { Fields } from '../http/validate';
import { optNumber, optObject } from '../http/validate';

export interface Pagination {
  pageNumber: number;
  showNumber: number;
}

export function readPagination(body: Fields, key = 'pagination'): Pagination | undefined {
  const p = optObject(body, key);
  if (p === undefined) return undefined;
  return { pageNumber: optNumber(p, 'pageNumber'), showNumber: optNumber(p, 'showNumber') };
}

export function page<T>(items: readonly T[], pagination: Pagination | undefined): T[] {
  if (pagination === undefined || pagination.showNumber <= 0) return [];
  const skip = (pagination.pageNumber - 1) * pagination.showNumber;
  if (skip < 0 || skip >= items.length) return [];
  return items.slice(skip, skip + pagination.showNumber);
}
