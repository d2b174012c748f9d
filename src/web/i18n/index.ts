import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import de from './de.json';

/** German is the UI language; further languages are added as JSON files beside de.json. */
void i18next.use(initReactI18next).init({
  lng: 'de',
  fallbackLng: 'de',
  resources: { de: { translation: de } },
  interpolation: { escapeValue: false },
  returnNull: false,
});

export default i18next;
