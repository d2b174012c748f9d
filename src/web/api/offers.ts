import { useQuery } from '@tanstack/react-query';
import { api } from './client.ts';

export interface Offer {
  id: string;
  title: string;
  format: string;
  topics: string[];
  date: string | null;
  description: string;
}

/** The Modul 3 offers of the programme. */
export function useOffers() {
  return useQuery({ queryKey: ['offers'], queryFn: () => api<{ offers: Offer[] }>('GET', '/api/offers') });
}
