import { useTranslation } from 'react-i18next';
import { Page } from '../../components/page.tsx';
import { TextEditor } from '../texte/page.tsx';
import '../../i18n/later.ts';

/** Programmteam writes the programme's title and text that open every Abschlussbericht. */
export default function ProgrammeTextsPage() {
  const { t } = useTranslation();
  return (
    <Page title={t('programmeTexts.title')} lead={t('programmeTexts.lead')}>
      <TextEditor textKey="programm-titel" />
      <TextEditor textKey="programm-text" />
    </Page>
  );
}
