import { render } from 'preact';
import './styles.css';
import { App } from './app';
import { restore } from './session';

render(<App />, document.getElementById('app')!);
void restore();
