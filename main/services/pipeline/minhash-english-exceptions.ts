/**
 * spaCy's English tokenizer exceptions that still apply after datatrove's
 * simplify_text (lowercase, no punctuation): whole tokens that spaCy splits
 * into several ("cannot" -> "can not", "dont" -> "do nt", "id" -> "i d").
 * datatrove's MinHash tokenises English with spacy.blank('en'), so without
 * these the shingles of such documents would differ from datatrove's.
 * Generated from spaCy 3.8 (`nlp.tokenizer.rules`, keys that survive
 * simplify_text unchanged and yield more than one token); regenerate when
 * spaCy's English exceptions change.
 */
export const ENGLISH_SPLITS: Readonly<Record<string, string>> = {
  aint: 'ai nt', arent: 'are nt', cannot: 'can not', cant: 'ca nt', cantve: 'ca nt ve', couldnt: 'could nt',
  couldntve: 'could nt ve', couldve: 'could ve', darent: 'dare nt', didnt: 'did nt', didntve: 'did nt ve',
  doesnt: 'does nt', doesntve: 'does nt ve', dont: 'do nt', dontve: 'do nt ve', gonna: 'gon na', gotta: 'got ta',
  hadnt: 'had nt', hadntve: 'had nt ve', hasnt: 'has nt', havent: 'have nt', hed: 'he d', hedve: 'he d ve',
  hellve: 'he ll ve', hes: 'he s', howd: 'how d', howdve: 'how d ve', howll: 'how ll', howllve: 'how ll ve',
  howre: 'how re', hows: 'how s', howve: 'how ve', id: 'i d', idve: 'i d ve', illve: 'i ll ve', im: 'i m',
  ima: 'i m a', isnt: 'is nt', itd: 'it d', itdve: 'it d ve', itll: 'it ll', itllve: 'it ll ve', ive: 'i ve',
  maynt: 'may nt', mayntve: 'may nt ve', mightnt: 'might nt', mightntve: 'might nt ve', mightve: 'might ve',
  mustnt: 'must nt', mustntve: 'must nt ve', mustve: 'must ve', neednt: 'need nt', needntve: 'need nt ve',
  notve: 'not ve', oughtnt: 'ought nt', oughtntve: 'ought nt ve', shant: 'sha nt', shantve: 'sha nt ve',
  shedve: 'she d ve', shellve: 'she ll ve', shes: 'she s', shouldnt: 'should nt', shouldntve: 'should nt ve',
  shouldve: 'should ve', thatd: 'that d', thatdve: 'that d ve', thatll: 'that ll', thatllve: 'that ll ve',
  thats: 'that s', thered: 'there d', theredve: 'there d ve', therell: 'there ll', therellve: 'there ll ve',
  therere: 'there re', theres: 'there s', thereve: 'there ve', thesed: 'these d', thesedve: 'these d ve',
  thesell: 'these ll', thesellve: 'these ll ve', thesere: 'these re', theseve: 'these ve', theyd: 'they d',
  theydve: 'they d ve', theyll: 'they ll', theyllve: 'they ll ve', theyre: 'they re', theyve: 'they ve',
  thisd: 'this d', thisdve: 'this d ve', thisll: 'this ll', thisllve: 'this ll ve', thiss: 'this s',
  thosed: 'those d', thosedve: 'those d ve', thosell: 'those ll', thosellve: 'those ll ve', thosere: 'those re',
  thoseve: 'those ve', wasnt: 'was nt', wed: 'we d', wedve: 'we d ve', wellve: 'we ll ve', werent: 'were nt',
  weve: 'we ve', whatd: 'what d', whatdve: 'what d ve', whatll: 'what ll', whatllve: 'what ll ve', whatre: 'what re',
  whats: 'what s', whatve: 'what ve', whend: 'when d', whendve: 'when d ve', whenll: 'when ll',
  whenllve: 'when ll ve', whenre: 'when re', whens: 'when s', whenve: 'when ve', whered: 'where d',
  wheredve: 'where d ve', wherell: 'where ll', wherellve: 'where ll ve', wherere: 'where re', wheres: 'where s',
  whereve: 'where ve', whod: 'who d', whodve: 'who d ve', wholl: 'who ll', whollve: 'who ll ve', whos: 'who s',
  whove: 'who ve', whyd: 'why d', whydve: 'why d ve', whyll: 'why ll', whyllve: 'why ll ve', whyre: 'why re',
  whys: 'why s', whyve: 'why ve', wont: 'wo nt', wontve: 'wo nt ve', wouldnt: 'would nt', wouldntve: 'would nt ve',
  wouldve: 'would ve', yall: 'y all', youd: 'you d', youdve: 'you d ve', youll: 'you ll', youllve: 'you ll ve',
  youre: 'you re', youve: 'you ve',
};
